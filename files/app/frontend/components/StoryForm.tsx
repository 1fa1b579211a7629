'use client';

import { FormEvent, useState } from 'react';
import { ApiError, type Story, type StoryDraft } from '@/lib/api';

export interface StoryFormProps {
  onCreate: (draft: StoryDraft) => Promise<Story>;
  onCreated: (story: Story) => void;
}

const EMPTY: StoryDraft = { title: '', body: '', image_key: '' };

/** The "add a story" form; the backend validates, and its messages are shown beside each field. */
export function StoryForm({ onCreate, onCreated }: StoryFormProps) {
  const [draft, setDraft] = useState<StoryDraft>(EMPTY);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      onCreated(await onCreate(draft));
      setDraft(EMPTY);
    } catch (caught) {
      if (caught instanceof ApiError) {
        setFields(caught.fields);
        setError(caught.message);
      } else {
        setError('The story could not be saved.');
      }
    } finally {
      setBusy(false);
    }
  };

  const field = (name: keyof StoryDraft) => ({
    id: `story-${name}`,
    name,
    value: draft[name] ?? '',
    'aria-invalid': fields[name] ? true : undefined,
    'aria-describedby': fields[name] ? `story-${name}-error` : undefined,
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });
  const problems = (name: keyof StoryDraft) =>
    fields[name] ? (
      <span className="field-error" id={`story-${name}-error`}>
        {fields[name].join('; ')}
      </span>
    ) : null;

  return (
    <form className="story-form" onSubmit={submit} aria-label="Add a story">
      <label htmlFor="story-title">Title</label>
      <input {...field('title')} required maxLength={200} />
      {problems('title')}
      <label htmlFor="story-body">Story</label>
      <textarea {...field('body')} required rows={4} maxLength={10000} />
      {problems('body')}
      <label htmlFor="story-image_key">Image key (optional)</label>
      <input {...field('image_key')} placeholder="uploads/stories/my-photo.jpg" />
      {problems('image_key')}
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Add story'}
      </button>
    </form>
  );
}
