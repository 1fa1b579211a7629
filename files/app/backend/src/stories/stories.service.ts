import { Injectable, NotFoundException } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { CreateStoryDto } from './dto/create-story.dto';
import { UpdateStoryDto } from './dto/update-story.dto';
import { Story, StoryRow, toStory } from './story';

const COLUMNS = 'id, title, body, image_key, created_at, updated_at';
export const LIST_LIMIT_MAX = 100;

@Injectable()
export class StoriesService {
  constructor(private readonly database: DatabaseService) {}

  /** The newest stories first. */
  async list(limit: number, offset: number): Promise<Story[]> {
    const rows = await this.database.select<StoryRow>(
      `SELECT ${COLUMNS} FROM stories ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      [limit, offset],
    );
    return rows.map(toStory);
  }

  async get(id: number): Promise<Story> {
    const rows = await this.database.select<StoryRow>(`SELECT ${COLUMNS} FROM stories WHERE id = ?`, [id]);
    if (rows.length === 0) {
      throw new NotFoundException(`story ${id} not found`);
    }
    return toStory(rows[0]);
  }

  async create(input: CreateStoryDto): Promise<Story> {
    const result = await this.database.modify(
      'INSERT INTO stories (title, body, image_key, created_at, updated_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))',
      [input.title, input.body, input.image_key ?? null],
    );
    return this.get(result.insertId);
  }

  async update(id: number, input: UpdateStoryDto): Promise<Story> {
    const assignments: string[] = [];
    const values: unknown[] = [];
    for (const field of ['title', 'body', 'image_key'] as const) {
      if (input[field] !== undefined) {
        assignments.push(`${field} = ?`);
        values.push(input[field]);
      }
    }
    const result = await this.database.modify(
      `UPDATE stories SET ${[...assignments, 'updated_at = UTC_TIMESTAMP(3)'].join(', ')} WHERE id = ?`,
      [...values, id],
    );
    if (result.affectedRows === 0) {
      throw new NotFoundException(`story ${id} not found`);
    }
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    const result = await this.database.modify('DELETE FROM stories WHERE id = ?', [id]);
    if (result.affectedRows === 0) {
      throw new NotFoundException(`story ${id} not found`);
    }
  }
}
