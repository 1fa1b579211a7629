import { startMariaDb } from './mariadb';

/**
 * Start the e2e tests' MariaDB, unless E2E_DB_HOST names a server to use (MySQL 8, say), and hand the
 * connection to the test files through E2E_DB_* variables.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.E2E_DB_HOST) {
    for (const name of ['E2E_DB_USER', 'E2E_DB_PASSWORD', 'E2E_DB_NAME']) {
      if (!process.env[name]) {
        throw new Error(`E2E_DB_HOST is set, so ${name} must be too`);
      }
    }
    return;
  }
  const server = await startMariaDb();
  (globalThis as { __mariadb?: typeof server }).__mariadb = server;
  process.env.E2E_DB_HOST = server.database.host;
  process.env.E2E_DB_PORT = String(server.database.port);
  process.env.E2E_DB_USER = server.database.user;
  process.env.E2E_DB_PASSWORD = server.database.password;
  process.env.E2E_DB_NAME = server.database.name;
}
