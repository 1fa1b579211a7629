// The production build as a server (what PM2 runs): `next start` on a free port, with a stub backend behind
// BACKEND_URL and an S3 URL set only now, at run time. Checks GET / (the page and its title), /stories (the
// S3 URL read at run time) and /api/* forwarded to the backend. Run after `npm run build`:
//   node tests/smoke.mjs
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}/.next/BUILD_ID`)) {
  console.error('smoke: no production build here; run `npm run build` first');
  process.exit(1);
}

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

const backend = createServer((request, response) => {
  response.setHeader('Content-Type', 'application/json');
  response.end(JSON.stringify({ backend: 'stub', method: request.method, url: request.url }));
});
const backendPort = await listen(backend);
const probe = createServer();
const port = await listen(probe);
await new Promise((resolve) => probe.close(resolve));

const next = spawn(process.execPath, [`${root}/node_modules/next/dist/bin/next`, 'start', '-p', String(port), '-H', '127.0.0.1'], {
  cwd: root,
  env: {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    BACKEND_URL: `http://127.0.0.1:${backendPort}`,
    NEXT_PUBLIC_S3_URL: 'https://smoke-uploads.s3.example',
    NEXT_PUBLIC_BASE_URL: 'https://smoke.example',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
next.stdout.on('data', (chunk) => (output += chunk));
next.stderr.on('data', (chunk) => (output += chunk));

const failures = [];
const check = (what, ok) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

try {
  const started = Date.now();
  let home;
  while (!home) {
    try {
      home = await fetch(`http://127.0.0.1:${port}/`);
    } catch {
      if (Date.now() - started > 30_000 || next.exitCode !== null) throw new Error(`next start did not answer:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const homeHtml = await home.text();
  check('GET / answers 200', home.status === 200);
  check('GET / has the title', homeHtml.includes('<title>Webapp stories</title>') && homeHtml.includes('<h1>Webapp stories</h1>'));
  check('no X-Powered-By', home.headers.get('x-powered-by') === null);

  const stories = await fetch(`http://127.0.0.1:${port}/stories`);
  const storiesHtml = await stories.text();
  check('GET /stories answers 200', stories.status === 200);
  check('/stories reads NEXT_PUBLIC_S3_URL at run time', storiesHtml.includes('https://smoke-uploads.s3.example'));
  check('/stories has its canonical URL from NEXT_PUBLIC_BASE_URL', storiesHtml.includes('https://smoke.example/stories'));

  const api = await fetch(`http://127.0.0.1:${port}/api/stories?limit=3`, { method: 'POST', body: '{}' });
  const answer = await api.json().catch(() => null);
  check('/api/* goes to BACKEND_URL with method, path and query', api.status === 200 && answer?.backend === 'stub' && answer.method === 'POST' && answer.url === '/api/stories?limit=3');
} finally {
  next.kill('SIGTERM');
  await new Promise((resolve) => (next.exitCode !== null ? resolve() : next.once('exit', resolve)));
  backend.close();
}
if (failures.length > 0) {
  console.error(`smoke: ${failures.length} failed\n${output}`);
  process.exit(1);
}
console.log('smoke: next start serves the build');
