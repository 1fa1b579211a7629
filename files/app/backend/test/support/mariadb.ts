/**
 * A throwaway MariaDB server for the e2e tests: Debian's `mariadb-server` binaries, a data directory under a
 * temporary directory, listening on a free loopback port, run as the current user, removed when stopped.
 * Its time zone is +09:00 on purpose, so the tests prove timestamps come back in UTC whatever the server says.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

export interface Database {
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
}

export interface RunningServer {
  database: Database;
  stop(): Promise<void>;
}

const run = promisify(execFile);

function which(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    `${name} not found: install Debian's mariadb-server-core (or mariadb-server) package, or point the e2e tests at a server with ` +
      'E2E_DB_HOST, E2E_DB_PORT, E2E_DB_USER, E2E_DB_PASSWORD and E2E_DB_NAME',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startMariaDb(): Promise<RunningServer> {
  const mariadbd = which('mariadbd');
  const installDb = which('mariadb-install-db');
  const dir = mkdtempSync(join(tmpdir(), 'webapp-mariadb-'));
  const datadir = join(dir, 'data');
  const errorLog = join(dir, 'error.log');
  // mariadbd refuses to run as root unless told to; as anyone else --user is not needed.
  const asUser = process.getuid?.() === 0 ? [`--user=${userInfo().username}`] : [];

  try {
    await run(
      installDb,
      ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asUser],
      { timeout: 120_000 },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`mariadb-install-db failed: ${stderr || stdout || (error as Error).message}`);
  }

  const port = await freePort();
  const server: ChildProcess = spawn(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${errorLog}`,
      `--tmpdir=${dir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      '--innodb-flush-log-at-trx-commit=0',
      "--default-time-zone=+09:00",
      ...asUser,
    ],
    { stdio: 'ignore' },
  );
  let exited: number | string | null = null;
  const done = new Promise<void>((resolve) =>
    server.once('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    }),
  );

  const stop = async (): Promise<void> => {
    if (exited === null) {
      server.kill('SIGTERM');
      const killer = setTimeout(() => server.kill('SIGKILL'), 20_000);
      await done;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const started = Date.now();
  for (;;) {
    if (exited !== null) {
      const log = tail(errorLog);
      await stop();
      throw new Error(`mariadbd exited (${exited}) at start:\n${log}`);
    }
    try {
      const root = await createConnection({ host: '127.0.0.1', port, user: 'root', password: '', connectTimeout: 1000 });
      const database: Database = {
        host: '127.0.0.1',
        port,
        user: 'webapp',
        password: randomBytes(12).toString('hex'),
        name: 'webapp_e2e',
      };
      // The application's grants, and no more: it must be able to create its own table.
      await root.query(`CREATE DATABASE ${database.name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await root.query('CREATE USER ?@? IDENTIFIED BY ?', [database.user, '127.0.0.1', database.password]);
      await root.query(`GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON ${database.name}.* TO ?@?`, [database.user, '127.0.0.1']);
      await root.end();
      return { database, stop };
    } catch (error) {
      if (Date.now() - started > 60_000) {
        await stop();
        throw new Error(`mariadbd did not answer within 60 s: ${(error as Error).message}\n${tail(errorLog)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
