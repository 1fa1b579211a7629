/**
 * The service's whole configuration, read once from the environment and checked before anything starts.
 * Every problem is collected, so one start-up names every missing or malformed variable at once.
 */
import { readFileSync } from 'node:fs';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
  poolSize: number;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  /** The CA bundle to verify the server's certificate with, when DB_SSL is on (undefined: the system's CAs). */
  ssl: { ca?: string } | false;
}

export interface AppConfig {
  port: number;
  host: string;
  logLevel: LogLevel;
  uploadsBucket: string;
  database: DatabaseConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

// S3 bucket naming rules (general purpose buckets): 3..63 of lower-case letters, digits, dots and hyphens,
// starting and ending with a letter or digit.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parse and check the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): AppConfig {
  const problems: string[] = [];

  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      problems.push(`${name} is required`);
      return '';
    }
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') {
      return fallback;
    }
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return Number(raw);
  };

  const bucket = required('S3_BUCKET');
  if (bucket && !BUCKET_NAME.test(bucket)) {
    problems.push(`S3_BUCKET must be an S3 bucket name (3-63 of a-z, 0-9, '.', '-'), got ${JSON.stringify(bucket)}`);
  }

  const logLevel = (env.LOG_LEVEL ?? 'log').trim() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env.LOG_LEVEL)}`);
  }

  const sslRaw = (env.DB_SSL ?? 'false').trim().toLowerCase();
  let ssl: DatabaseConfig['ssl'] = false;
  if (['true', '1', 'on', 'yes'].includes(sslRaw)) {
    ssl = {};
    const caPath = env.DB_SSL_CA?.trim();
    if (caPath) {
      try {
        ssl = { ca: readFile(caPath) };
      } catch (error) {
        problems.push(`DB_SSL_CA cannot be read: ${(error as Error).message}`);
      }
    }
  } else if (!['false', '0', 'off', 'no', ''].includes(sslRaw)) {
    problems.push(`DB_SSL must be true or false, got ${JSON.stringify(env.DB_SSL)}`);
  }

  // The password is taken as it is (it may begin or end with spaces): only its absence is an error.
  const password = env.DB_PASSWORD ?? '';
  if (password === '') {
    problems.push('DB_PASSWORD is required');
  }

  const config: AppConfig = {
    port: integer('PORT', 9999, 1, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    logLevel,
    uploadsBucket: bucket,
    database: {
      host: required('DB_HOST'),
      port: integer('DB_PORT', 3306, 1, 65535),
      user: required('DB_USER'),
      password,
      name: required('DB_NAME'),
      poolSize: integer('DB_POOL_SIZE', 10, 1, 1000),
      connectTimeoutMs: integer('DB_CONNECT_TIMEOUT_MS', 2000, 100, 60000),
      queryTimeoutMs: integer('DB_QUERY_TIMEOUT_MS', 5000, 100, 600000),
      ssl,
    },
  };
  if (config.database.name && !/^[A-Za-z0-9_$]{1,64}$/.test(config.database.name)) {
    problems.push(`DB_NAME must be 1-64 of A-Z, a-z, 0-9, '_' or '$', got ${JSON.stringify(config.database.name)}`);
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
