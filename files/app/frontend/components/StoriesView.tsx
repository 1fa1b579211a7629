'use client';

import { useEffect, useMemo, useState } from 'react';
import { ApiError, createApi, type Story } from '@/lib/api';
import { StoryForm } from './StoryForm';
import { StoryList } from './StoryList';

/** The stories page's live part: the list, read from /api/stories in the browser, and the form. */
export function StoriesView({ s3Url }: { s3Url: string }) {
  const api = useMemo(() => createApi(), []);
  const [stories, setStories] = useState<Story[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api
      .listStories()
      .then((items) => {
        if (!cancelled) {
          setStories(items);
        }
      })
      .catch((caught: unknown) => {
        if (!cancelled) {
          setError(caught instanceof ApiError ? caught.message : 'The stories could not be loaded.');
        }
      });
    return () => {
      cancelled = true;
    };
  }, [api]);

  return (
    <div className="stories-view">
      <section aria-labelledby="new-story">
        <h2 id="new-story">Add a story</h2>
        <StoryForm
          onCreate={(draft) => api.createStory(draft)}
          onCreated={(story) => setStories((current) => [story, ...(current ?? [])])}
        />
      </section>
      <section aria-labelledby="latest" aria-busy={stories === null && error === null}>
        <h2 id="latest">Latest stories</h2>
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : stories === null ? (
          <p className="empty">Loading…</p>
        ) : (
          <StoryList stories={stories} s3Url={s3Url} />
        )}
      </section>
    </div>
  );
}
