/**
 * The built service (dist/main.js, what PM2 runs) as a process: it refuses to start without its
 * configuration, serves, and closes its pool and exits 0 on SIGTERM and on SIGINT (what PM2 sends).
 * Needs `npm run build` first.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort, databaseEnv, Env } from './support/app';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

interface Run {
  child: ChildProcessWithoutNullStreams;
  lines: Record<string, unknown>[];
  output: () => string;
  exit: Promise<number | null>;
}

function launch(env: Env): Run {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  const lines: Record<string, unknown>[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const complete = stdout.split('\n');
    stdout = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, output: () => `${stdout}${stderr}`, exit };
}

async function until(predicate: () => boolean, what: string, run: Run): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > 15_000) {
      throw new Error(`timed out waiting for ${what}; output: ${JSON.stringify(run.lines)} ${run.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('dist/main.js', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} is missing: run \`npm run build\` before the e2e tests`);
    }
  });

  it('refuses to start without its configuration, naming every missing variable', async () => {
    const run = launch({ DB_PORT: 'ninety' });
    expect(await run.exit).toBe(2);
    expect(run.lines).toHaveLength(1);
    const [line] = run.lines;
    expect(line).toMatchObject({ level: 'fatal', context: 'config' });
    for (const text of ['S3_BUCKET is required', 'DB_HOST is required', 'DB_USER is required', 'DB_PASSWORD is required', 'DB_NAME is required', 'DB_PORT must be an integer']) {
      expect(line.msg).toContain(text);
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('serves on PORT and on %s closes the pool and exits 0', async (signal) => {
    const port = await closedPort();
    const run = launch(databaseEnv({ PORT: String(port), HOST: '127.0.0.1' }));
    try {
      await until(() => run.lines.some((line) => line.msg === 'listening'), 'the listening line', run);
      expect(run.lines.find((line) => line.msg === 'listening')).toMatchObject({ port, host: '127.0.0.1' });
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', database: 'up' });
      run.child.kill(signal);
      expect(await run.exit).toBe(0);
      expect(run.lines).toContainEqual(expect.objectContaining({ msg: 'connection pool closed', signal }));
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
