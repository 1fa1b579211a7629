import request from 'supertest';
import { databaseEnv, startApp, TestApp } from './support/app';

interface Story {
  id: number;
  title: string;
  body: string;
  image_key: string | null;
  created_at: string;
  updated_at: string;
}

describe('/api/stories', () => {
  let api: TestApp;
  let server: ReturnType<TestApp['app']['getHttpServer']>;
  beforeAll(async () => {
    api = await startApp(databaseEnv());
    server = api.app.getHttpServer();
  });
  afterAll(() => api.close());

  const create = async (fields: Partial<Story>): Promise<Story> =>
    (await request(server).post('/api/stories').send({ title: 'A title', body: 'A body', ...fields }).expect(201)).body as Story;

  it('creates, reads, lists, updates and deletes a story', async () => {
    const before = Date.now();
    const created = await create({ title: '  Seoul at night  ', body: 'Lights.', image_key: 'uploads/stories/2024/night.jpg' });
    expect(created).toEqual({
      id: expect.any(Number),
      title: 'Seoul at night',
      body: 'Lights.',
      image_key: 'uploads/stories/2024/night.jpg',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: created.created_at,
    });
    // Stored in UTC although the test server's time zone is +09:00.
    expect(Math.abs(Date.parse(created.created_at) - before)).toBeLessThan(60_000);

    expect((await request(server).get(`/api/stories/${created.id}`).expect(200)).body).toEqual(created);

    const list = (await request(server).get('/api/stories').expect(200)).body as { items: Story[]; limit: number; offset: number };
    expect(list.limit).toBe(50);
    expect(list.offset).toBe(0);
    expect(list.items.map((story) => story.id)).toContain(created.id);

    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = (await request(server).patch(`/api/stories/${created.id}`).send({ body: 'More lights.' }).expect(200)).body as Story;
    expect(updated).toMatchObject({ id: created.id, title: 'Seoul at night', body: 'More lights.', image_key: created.image_key });
    expect(updated.created_at).toBe(created.created_at);
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));

    const cleared = (await request(server).patch(`/api/stories/${created.id}`).send({ image_key: null }).expect(200)).body as Story;
    expect(cleared.image_key).toBeNull();

    await request(server).delete(`/api/stories/${created.id}`).expect(204);
    await request(server).get(`/api/stories/${created.id}`).expect(404);
    await request(server).delete(`/api/stories/${created.id}`).expect(404);
  });

  it('lists the newest first, a page at a time', async () => {
    const first = await create({ title: 'first' });
    const second = await create({ title: 'second' });
    const page = (await request(server).get('/api/stories?limit=2').expect(200)).body as { items: Story[] };
    // Other tests may add stories at the same time, but never older than these two.
    const ids = page.items.map((story) => story.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id) === -1 ? Infinity : ids.indexOf(first.id));
    expect(page.items).toHaveLength(2);
    await request(server).get('/api/stories?limit=0').expect(400);
    await request(server).get('/api/stories?limit=101').expect(400);
    await request(server).get('/api/stories?offset=-1').expect(400);
    await request(server).get('/api/stories?limit=abc').expect(400);
  });

  it('keeps text exactly, including four-byte characters', async () => {
    const story = await create({ title: '서울의 밤 🌃', body: 'line one\nline two — "quoted" \'single\' \\ back' });
    const read = (await request(server).get(`/api/stories/${story.id}`).expect(200)).body as Story;
    expect(read.title).toBe('서울의 밤 🌃');
    expect(read.body).toBe('line one\nline two — "quoted" \'single\' \\ back');
  });

  it('answers 404 for an unknown id and 400 for an id that is not a number', async () => {
    const missing = await request(server).get('/api/stories/987654321').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, message: 'story 987654321 not found' });
    await request(server).patch('/api/stories/987654321').send({ title: 'x' }).expect(404);
    await request(server).delete('/api/stories/987654321').expect(404);
    await request(server).get('/api/stories/abc').expect(400);
    await request(server).get('/api/stories/1.5').expect(400);
  });

  describe('validation', () => {
    const refused = async (body: object, field: string, message: RegExp): Promise<void> => {
      const response = await request(server).post('/api/stories').send(body).expect(400);
      expect(response.body.statusCode).toBe(400);
      expect(response.body.errors[field]).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
      expect(response.body.message).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    };

    it('names each bad field', async () => {
      const response = await request(server).post('/api/stories').send({}).expect(400);
      expect(Object.keys(response.body.errors).sort()).toEqual(['body', 'title']);
      await refused({ body: 'b' }, 'title', /title should not be empty|title must be a string/);
      await refused({ title: '   ', body: 'b' }, 'title', /title should not be empty/);
      await refused({ title: 'x'.repeat(201), body: 'b' }, 'title', /title must be shorter than or equal to 200 characters/);
      await refused({ title: 42, body: 'b' }, 'title', /title must be a string/);
      await refused({ title: 't', body: 'b'.repeat(10_001) }, 'body', /body must be shorter than or equal to 10000/);
      await refused({ title: 't', body: 'b', extra: 1 }, 'extra', /property extra should not exist/);
    });

    it('takes image keys only under uploads/stories/', async () => {
      for (const key of ['uploads/users/me.png', 'uploads/stories/', 'uploads/stories/../users/x.png', 'uploads/stories//x.png', '/uploads/stories/x.png', 'uploads/stories/a b.png']) {
        await refused({ title: 't', body: 'b', image_key: key }, 'image_key', /image_key must be an S3 key under uploads\/stories\//);
      }
      await create({ image_key: "uploads/stories/a/b-c_d.e!(1)'*.webp" });
    });

    it('refuses an empty update and a null title', async () => {
      const story = await create({});
      const empty = await request(server).patch(`/api/stories/${story.id}`).send({}).expect(400);
      expect(empty.body.message).toEqual(['give at least one of title, body, image_key']);
      const nullTitle = await request(server).patch(`/api/stories/${story.id}`).send({ title: null }).expect(400);
      expect(nullTitle.body.errors.title).toBeDefined();
    });

    it('refuses a body that is not JSON', async () => {
      await request(server).post('/api/stories').set('Content-Type', 'application/json').send('{"title":').expect(400);
    });
  });

  it('keeps the stories across a restart of the API (the schema is created idempotently)', async () => {
    const story = await create({ title: 'survivor' });
    const again = await startApp(databaseEnv());
    try {
      expect((await request(again.app.getHttpServer()).get(`/api/stories/${story.id}`).expect(200)).body).toEqual(story);
    } finally {
      await again.close();
    }
  });
});
