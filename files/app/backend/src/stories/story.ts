import type { RowDataPacket } from 'mysql2/promise';

/** A story as the API returns it. */
export interface Story {
  id: number;
  title: string;
  body: string;
  image_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface StoryRow extends RowDataPacket {
  id: number | string;
  title: string;
  body: string;
  image_key: string | null;
  created_at: Date;
  updated_at: Date;
}

export function toStory(row: StoryRow): Story {
  return {
    id: Number(row.id),
    title: row.title,
    body: row.body,
    image_key: row.image_key,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
