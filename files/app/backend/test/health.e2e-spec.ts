import request from 'supertest';
import { closedPort, databaseEnv, silentServer, startApp, TestApp } from './support/app';

describe('GET /api/health with the database up', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startApp(databaseEnv());
  });
  afterAll(() => api.close());

  it('answers 200 after a real SELECT 1', async () => {
    const response = await request(api.app.getHttpServer()).get('/api/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('describes the service and the uploads bucket at /api', async () => {
    const response = await request(api.app.getHttpServer()).get('/api').expect(200);
    expect(response.body).toEqual({
      service: 'webapp-backend',
      version: expect.any(String),
      uploads: { bucket: 'webapp-e2e-uploads', stories_prefix: 'uploads/stories/' },
    });
  });

  it('serves nothing outside /api', async () => {
    await request(api.app.getHttpServer()).get('/health').expect(404);
  });

  it('logs each request as one JSON line with a request id it also returns', async () => {
    const response = await request(api.app.getHttpServer()).get('/api/health').set('X-Request-ID', 'probe-42').expect(200);
    expect(response.headers['x-request-id']).toBe('probe-42');
    const generated = await request(api.app.getHttpServer()).get('/api/health').set('X-Request-ID', 'bad id!');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(api.logs).toContainEqual(
      expect.objectContaining({
        level: 'log',
        context: 'http',
        msg: 'request',
        method: 'GET',
        path: '/api/health',
        status: 200,
        request_id: 'probe-42',
        duration_ms: expect.any(Number),
      }),
    );
    expect(api.logs).toContainEqual(expect.objectContaining({ context: 'database', msg: 'schema ready' }));
  });

  it('does not announce Express', async () => {
    const response = await request(api.app.getHttpServer()).get('/api/health');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe('GET /api/health with the database down', () => {
  it('answers 503 at once when nothing listens on the database port, and starts anyway', async () => {
    const api = await startApp(databaseEnv({ DB_PORT: String(await closedPort()) }));
    try {
      const started = Date.now();
      const response = await request(api.app.getHttpServer()).get('/api/health').expect(503);
      expect(response.body).toEqual({ status: 'error', database: 'down', error: 'ECONNREFUSED' });
      expect(Date.now() - started).toBeLessThan(3000);
      // The database's address stays in the log, out of the public answer.
      expect(JSON.stringify(response.body)).not.toContain('127.0.0.1');
      expect(api.logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'database check failed', code: 'ECONNREFUSED' }));
      expect(api.logs).toContainEqual(expect.objectContaining({ msg: 'database not reachable at start; retrying on use' }));
    } finally {
      await api.close();
    }
  });

  it('answers 503 within the connect timeout when the database accepts but never answers', async () => {
    const silent = await silentServer();
    const api = await startApp(databaseEnv({ DB_PORT: String(silent.port), DB_CONNECT_TIMEOUT_MS: '500' }));
    try {
      const started = Date.now();
      const response = await request(api.app.getHttpServer()).get('/api/health').expect(503);
      expect(response.body).toMatchObject({ status: 'error', database: 'down' });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await api.close();
      await silent.close();
    }
  });

  it('answers 503 for the stories when the database is down, with Retry-After', async () => {
    const api = await startApp(databaseEnv({ DB_PORT: String(await closedPort()) }));
    try {
      const server = api.app.getHttpServer();
      const response = await request(server).get('/api/stories').expect(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'database unavailable' });
      await request(server).post('/api/stories').send({ title: 't', body: 'b' }).expect(503);
      // Validation still comes first: a bad request is a 400 whatever the database does.
      await request(server).post('/api/stories').send({ body: 'b' }).expect(400);
    } finally {
      await api.close();
    }
  });

  it('answers 503 when the credentials are refused', async () => {
    const api = await startApp(databaseEnv({ DB_PASSWORD: 'not-the-password' }));
    try {
      const response = await request(api.app.getHttpServer()).get('/api/health').expect(503);
      expect(response.body).toEqual({ status: 'error', database: 'down', error: 'ER_ACCESS_DENIED_ERROR' });
    } finally {
      await api.close();
    }
  });
});
