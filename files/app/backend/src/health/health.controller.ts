import { Controller, Get, HttpStatus, Logger, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DatabaseService } from '../database/database.service';

export interface Health {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  /** The failure's code (ECONNREFUSED, TIMEOUT, ER_ACCESS_DENIED_ERROR...) when the database is down. */
  error?: string;
}

/**
 * GET /api/health: what the ALB's backend target group checks. 200 only after a real SELECT 1 on the
 * database; 503 (never a hang: the pool's timeouts bound it) when the database does not answer.
 */
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('health');

  constructor(private readonly database: DatabaseService) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<Health> {
    response.setHeader('Cache-Control', 'no-store');
    try {
      await this.database.ping();
      return { status: 'ok', database: 'up' };
    } catch (error) {
      // The full reason (which names the database's address) goes to the log; the public answer, reachable
      // through the ALB, only carries the error's code.
      const { code, message } = error as { code?: unknown; message?: unknown };
      this.logger.warn({ msg: 'database check failed', code, error: String(message ?? error) });
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'error', database: 'down', error: typeof code === 'string' ? code : 'UNAVAILABLE' };
    }
  }
}
