import { ConfigError, loadConfig } from './config';

const complete = {
  DB_HOST: 'db.internal',
  DB_USER: 'webapp',
  DB_PASSWORD: 's3cret',
  DB_NAME: 'webapp',
  S3_BUCKET: 'webapp-uploads',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env, () => 'CA');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('applies the defaults', () => {
    const config = loadConfig(complete);
    expect(config).toEqual({
      port: 9999,
      host: '0.0.0.0',
      logLevel: 'log',
      uploadsBucket: 'webapp-uploads',
      database: {
        host: 'db.internal',
        port: 3306,
        user: 'webapp',
        password: 's3cret',
        name: 'webapp',
        poolSize: 10,
        connectTimeoutMs: 2000,
        queryTimeoutMs: 5000,
        ssl: false,
      },
    });
  });

  it('reads every setting', () => {
    const config = loadConfig({
      ...complete,
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      DB_PORT: '3307',
      DB_POOL_SIZE: '4',
      DB_CONNECT_TIMEOUT_MS: '500',
      DB_QUERY_TIMEOUT_MS: '1500',
      DB_SSL: 'true',
      DB_SSL_CA: '/etc/ssl/rds.pem',
    }, (path) => `contents of ${path}`);
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.logLevel).toBe('debug');
    expect(config.database).toMatchObject({ port: 3307, poolSize: 4, connectTimeoutMs: 500, queryTimeoutMs: 1500 });
    expect(config.database.ssl).toEqual({ ca: 'contents of /etc/ssl/rds.pem' });
  });

  it('keeps a password as it is', () => {
    expect(loadConfig({ ...complete, DB_PASSWORD: ' spaced out ' }).database.password).toBe(' spaced out ');
  });

  it('names every missing variable at once', () => {
    expect(problems({})).toEqual([
      'S3_BUCKET is required',
      'DB_PASSWORD is required',
      'DB_HOST is required',
      'DB_USER is required',
      'DB_NAME is required',
    ]);
    expect(problems({ ...complete, DB_HOST: '  ' })).toEqual(['DB_HOST is required']);
    expect(problems({ ...complete, DB_PASSWORD: '' })).toEqual(['DB_PASSWORD is required']);
  });

  it.each([
    ['PORT', '0', 'PORT must be an integer from 1 to 65535, got "0"'],
    ['PORT', '70000', 'PORT must be an integer from 1 to 65535, got "70000"'],
    ['DB_PORT', 'mysql', 'DB_PORT must be an integer from 1 to 65535, got "mysql"'],
    ['DB_POOL_SIZE', '-1', 'DB_POOL_SIZE must be an integer from 1 to 1000, got "-1"'],
    ['DB_CONNECT_TIMEOUT_MS', '1.5', 'DB_CONNECT_TIMEOUT_MS must be an integer from 100 to 60000, got "1.5"'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of error, warn, log, debug, verbose, got "loud"'],
    ['DB_SSL', 'maybe', 'DB_SSL must be true or false, got "maybe"'],
    ['S3_BUCKET', 'Not_A_Bucket', 'S3_BUCKET must be an S3 bucket name (3-63 of a-z, 0-9, \'.\', \'-\'), got "Not_A_Bucket"'],
    ['DB_NAME', 'web-app', 'DB_NAME must be 1-64 of A-Z, a-z, 0-9, \'_\' or \'$\', got "web-app"'],
  ])('refuses %s=%s', (name, value, message) => {
    expect(problems({ ...complete, [name]: value })).toEqual([message]);
  });

  it('says when the CA bundle cannot be read', () => {
    expect(() =>
      loadConfig({ ...complete, DB_SSL: 'on', DB_SSL_CA: '/missing.pem' }, () => {
        throw new Error('ENOENT: no such file');
      }),
    ).toThrow('DB_SSL_CA cannot be read: ENOENT: no such file');
  });

  it('verifies TLS against the system CAs when no bundle is given', () => {
    expect(loadConfig({ ...complete, DB_SSL: 'yes' }).database.ssl).toEqual({});
  });
});
