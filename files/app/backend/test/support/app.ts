import type { INestApplication } from '@nestjs/common';
import { createServer, Server, Socket } from 'node:net';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { JsonLogger } from '../../src/logging/json-logger';

export type Env = Record<string, string>;

/** The environment of an API talking to the e2e database (see global-setup.ts), with overrides. */
export function databaseEnv(overrides: Env = {}): Env {
  return {
    DB_HOST: process.env.E2E_DB_HOST ?? '',
    DB_PORT: process.env.E2E_DB_PORT ?? '3306',
    DB_USER: process.env.E2E_DB_USER ?? '',
    DB_PASSWORD: process.env.E2E_DB_PASSWORD ?? '',
    DB_NAME: process.env.E2E_DB_NAME ?? '',
    S3_BUCKET: 'webapp-e2e-uploads',
    DB_CONNECT_TIMEOUT_MS: '1000',
    DB_QUERY_TIMEOUT_MS: '2000',
    ...overrides,
  };
}

export interface TestApp {
  app: INestApplication;
  /** Every log line the application wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Create and initialise the API in-process, as main.ts does, with its log lines captured. */
export async function startApp(env: Env): Promise<TestApp> {
  const logs: Record<string, unknown>[] = [];
  const config = loadConfig(env);
  const logger = new JsonLogger('debug', (line) => {
    logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  const app = await createApp(config, logger);
  await app.init();
  return { app, logs, close: () => app.close() };
}

/** A TCP server that accepts connections and never says a word: a database that hangs. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) {
    throw new Error('no address');
  }
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) {
    throw new Error('no address');
  }
  return address.port;
}
