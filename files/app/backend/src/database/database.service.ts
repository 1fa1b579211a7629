import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createPool, Pool, PoolOptions, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { APP_CONFIG, AppConfig, DatabaseConfig } from '../config/config';
import { SCHEMA } from './schema';

/** The database cannot answer now (down, unreachable, too slow, refusing us): the API answers 503. */
export class DatabaseUnavailableError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

// mysql2 error codes meaning "no usable connection", as opposed to an error in one statement.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_CLOSED',
]);

export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) {
    return true;
  }
  const candidate = error as { code?: unknown; fatal?: unknown } | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    (candidate.fatal === true || (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)))
  );
}

/** mysql2 pool options for a configuration (exported for the unit tests). */
export function poolOptions(config: DatabaseConfig): PoolOptions {
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.name,
    connectionLimit: config.poolSize,
    connectTimeout: config.connectTimeoutMs,
    waitForConnections: true,
    maxIdle: config.poolSize,
    idleTimeout: 60_000,
    enableKeepAlive: true,
    // Timestamps are written with UTC_TIMESTAMP() and read back as UTC, whatever the server's time zone.
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    multipleStatements: false,
    ssl: config.ssl === false ? undefined : { ...config.ssl, rejectUnauthorized: true },
  };
}

/**
 * The MySQL (RDS) or MariaDB connection pool. Every statement is bounded in time: one that has neither
 * connected within the connect timeout nor answered within the query timeout fails with
 * DatabaseUnavailableError instead of holding the request. The schema is created on first use (and at start
 * when the database answers then), idempotently.
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger('database');
  private readonly pool: Pool;
  private readonly config: DatabaseConfig;
  private schema: Promise<void> | undefined;

  constructor(@Inject(APP_CONFIG) appConfig: AppConfig) {
    this.config = appConfig.database;
    this.pool = createPool(poolOptions(this.config));
  }

  /** Create the tables if missing; a failure is forgotten so the next call tries again. */
  ready(): Promise<void> {
    if (!this.schema) {
      this.schema = (async () => {
        for (const statement of SCHEMA) {
          await this.execute(statement);
        }
        this.logger.log({ msg: 'schema ready', database: this.config.name });
      })();
      this.schema.catch(() => {
        this.schema = undefined;
      });
    }
    return this.schema;
  }

  /** A real round trip: the schema is in place and the server answers SELECT 1. */
  async ping(): Promise<void> {
    await this.ready();
    const rows = await this.select<RowDataPacket & { ok: number }>('SELECT 1 AS ok');
    if (rows[0]?.ok !== 1) {
      throw new DatabaseUnavailableError('SELECT 1 did not answer 1');
    }
  }

  async select<T extends RowDataPacket>(sql: string, params: unknown[] = []): Promise<T[]> {
    await this.ready();
    return (await this.run(sql, params)) as T[];
  }

  async modify(sql: string, params: unknown[] = []): Promise<ResultSetHeader> {
    await this.ready();
    return (await this.run(sql, params)) as ResultSetHeader;
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.pool.end();
    this.logger.log({ msg: 'connection pool closed', signal: signal ?? null });
  }

  private async execute(sql: string): Promise<void> {
    await this.run(sql, []);
  }

  private async run(sql: string, params: unknown[]): Promise<unknown> {
    // mysql2's own timeout covers the statement; this one also covers waiting for a pooled connection.
    const limit = this.config.connectTimeoutMs + this.config.queryTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DatabaseUnavailableError(`no answer within ${limit} ms`, 'TIMEOUT')), limit);
    });
    try {
      const [result] = await Promise.race([
        this.pool.query({ sql, values: params, timeout: this.config.queryTimeoutMs }),
        deadline,
      ]);
      return result;
    } catch (error) {
      if (isUnavailable(error)) {
        const { code, message } = error as { code?: string; message?: string };
        throw error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(message || String(code), code);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
