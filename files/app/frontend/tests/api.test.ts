import { describe, expect, it } from 'vitest';
import { ApiError, createApi, type Story } from '@/lib/api';

const story: Story = {
  id: 7,
  title: 'Han river',
  body: 'Bikes.',
  image_key: null,
  created_at: '2024-12-01T10:00:00.000Z',
  updated_at: '2024-12-01T10:00:00.000Z',
};

interface Call {
  url: string;
  init?: RequestInit;
}

function fakeFetch(...responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetchImpl = async (url: string, init?: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) {
      throw new Error('unexpected call');
    }
    if (next instanceof Error) {
      throw next;
    }
    return next;
  };
  return { calls, fetchImpl };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('createApi', () => {
  it('lists stories through the relative /api path', async () => {
    const { calls, fetchImpl } = fakeFetch(json({ items: [story], limit: 20, offset: 0 }));
    expect(await createApi(undefined, fetchImpl).listStories(20)).toEqual([story]);
    expect(calls[0].url).toBe('/api/stories?limit=20');
    expect(calls[0].init?.cache).toBe('no-store');
  });

  it('posts a story as JSON, leaving out an empty image key', async () => {
    const { calls, fetchImpl } = fakeFetch(json(story, 201));
    const api = createApi('/api', fetchImpl);
    expect(await api.createStory({ title: 'Han river', body: 'Bikes.', image_key: '' })).toEqual(story);
    expect(calls[0].url).toBe('/api/stories');
    expect(calls[0].init?.method).toBe('POST');
    expect(calls[0].init?.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ title: 'Han river', body: 'Bikes.' });
  });

  it('sends an image key when one is given', async () => {
    const { calls, fetchImpl } = fakeFetch(json(story, 201));
    await createApi('/api', fetchImpl).createStory({ title: 't', body: 'b', image_key: 'uploads/stories/a.png' });
    expect(JSON.parse(String(calls[0].init?.body))).toMatchObject({ image_key: 'uploads/stories/a.png' });
  });

  it("turns the backend's 400 into an ApiError with each field's messages", async () => {
    const { fetchImpl } = fakeFetch(
      json(
        {
          statusCode: 400,
          error: 'Bad Request',
          message: ['title should not be empty', 'image_key must be an S3 key under uploads/stories/'],
          errors: { title: ['title should not be empty'], image_key: ['image_key must be an S3 key under uploads/stories/'] },
        },
        400,
      ),
    );
    const failure = await createApi('/api', fetchImpl).createStory({ title: '', body: 'b' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 400,
      message: 'title should not be empty; image_key must be an S3 key under uploads/stories/',
      fields: { title: ['title should not be empty'] },
    });
  });

  it('says the service is unavailable on a 503', async () => {
    const { fetchImpl } = fakeFetch(json({ statusCode: 503, message: 'database unavailable' }, 503));
    await expect(createApi('/api', fetchImpl).listStories()).rejects.toMatchObject({
      status: 503,
      message: 'The stories service is unavailable right now. Try again in a moment.',
    });
  });

  it('copes with an error page that is not JSON', async () => {
    const { fetchImpl } = fakeFetch(new Response('<html>502 Bad Gateway</html>', { status: 502 }));
    await expect(createApi('/api', fetchImpl).listStories()).rejects.toMatchObject({ status: 502, message: 'The API answered 502.' });
  });

  it('says when the API cannot be reached at all', async () => {
    const { fetchImpl } = fakeFetch(new TypeError('fetch failed'));
    await expect(createApi('/api', fetchImpl).listStories()).rejects.toMatchObject({
      status: 0,
      message: 'The stories service cannot be reached.',
    });
  });

  it('deletes a story and takes the 204', async () => {
    const { calls, fetchImpl } = fakeFetch(new Response(null, { status: 204 }));
    await expect(createApi('/api', fetchImpl).deleteStory(7)).resolves.toBeUndefined();
    expect(calls[0]).toMatchObject({ url: '/api/stories/7', init: { method: 'DELETE' } });
  });
});
