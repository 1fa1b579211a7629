/**
 * The backend's stories API as the browser sees it: relative /api URLs (the ALB, or next.config's rewrite,
 * sends them to the NestJS backend). Errors become ApiError with the backend's messages per field.
 */

export interface Story {
  id: number;
  title: string;
  body: string;
  image_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface StoryDraft {
  title: string;
  body: string;
  image_key?: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The backend's 400 details: field name to its messages. */
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

async function failure(response: Response): Promise<ApiError> {
  let payload: { message?: unknown; errors?: unknown } = {};
  try {
    payload = (await response.json()) as typeof payload;
  } catch {
    // not JSON: an ALB or nginx error page
  }
  if (response.status === 503) {
    return new ApiError(503, 'The stories service is unavailable right now. Try again in a moment.');
  }
  const messages = Array.isArray(payload.message) ? payload.message.map(String) : payload.message ? [String(payload.message)] : [];
  const fields =
    payload.errors && typeof payload.errors === 'object' ? (payload.errors as Record<string, string[]>) : {};
  return new ApiError(response.status, messages.join('; ') || `The API answered ${response.status}.`, fields);
}

export function createApi(base = '/api', fetchImpl: Fetch = (input, init) => fetch(input, init)) {
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, {
        ...init,
        headers: { Accept: 'application/json', ...(init?.body ? { 'Content-Type': 'application/json' } : {}) },
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'The stories service cannot be reached.');
    }
    if (!response.ok) {
      throw await failure(response);
    }
    return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  };

  return {
    async listStories(limit = 50): Promise<Story[]> {
      return (await call<{ items: Story[] }>(`/stories?limit=${limit}`)).items;
    },
    createStory(draft: StoryDraft): Promise<Story> {
      const body: StoryDraft = { title: draft.title, body: draft.body };
      if (draft.image_key) {
        body.image_key = draft.image_key;
      }
      return call<Story>('/stories', { method: 'POST', body: JSON.stringify(body) });
    },
    deleteStory(id: number): Promise<void> {
      return call<void>(`/stories/${encodeURIComponent(String(id))}`, { method: 'DELETE' });
    },
  };
}

export type Api = ReturnType<typeof createApi>;
