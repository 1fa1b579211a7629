import { DatabaseUnavailableError, isUnavailable, poolOptions } from './database.service';
import { SCHEMA } from './schema';

const database = {
  host: 'db',
  port: 3306,
  user: 'u',
  password: 'p',
  name: 'n',
  poolSize: 3,
  connectTimeoutMs: 700,
  queryTimeoutMs: 900,
  ssl: false as const,
};

describe('isUnavailable', () => {
  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST', 'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR'])(
    'takes %s for a database that cannot serve',
    (code) => {
      expect(isUnavailable(Object.assign(new Error(code), { code }))).toBe(true);
    },
  );

  it('takes any fatal connection error and its own error for unavailability', () => {
    expect(isUnavailable(Object.assign(new Error('x'), { code: 'SOMETHING_NEW', fatal: true }))).toBe(true);
    expect(isUnavailable(new DatabaseUnavailableError('late', 'TIMEOUT'))).toBe(true);
  });

  it('leaves errors of one statement alone', () => {
    expect(isUnavailable(Object.assign(new Error('syntax'), { code: 'ER_PARSE_ERROR', fatal: false }))).toBe(false);
    expect(isUnavailable(new Error('plain'))).toBe(false);
    expect(isUnavailable(null)).toBe(false);
    expect(isUnavailable('ECONNREFUSED')).toBe(false);
  });
});

describe('poolOptions', () => {
  it('bounds connecting, reads timestamps as UTC and speaks utf8mb4', () => {
    expect(poolOptions(database)).toMatchObject({
      host: 'db',
      port: 3306,
      database: 'n',
      connectionLimit: 3,
      connectTimeout: 700,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      multipleStatements: false,
      ssl: undefined,
    });
  });

  it('verifies the server certificate when TLS is on', () => {
    expect(poolOptions({ ...database, ssl: { ca: 'PEM' } }).ssl).toEqual({ ca: 'PEM', rejectUnauthorized: true });
  });
});

describe('SCHEMA', () => {
  it('is idempotent and portable between MySQL 8 and MariaDB', () => {
    for (const statement of SCHEMA) {
      expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS /);
      expect(statement).toContain('utf8mb4_unicode_ci');
      expect(statement).not.toMatch(/0900|DEFAULT CURRENT_TIMESTAMP/);
    }
  });
});
