import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DatabaseUnavailableError } from './database.service';

/** A request that needed the database while it was down is a 503 (retry later), not a 500. */
@Catch(DatabaseUnavailableError)
export class DatabaseUnavailableFilter implements ExceptionFilter {
  private readonly logger = new Logger('database');

  catch(error: DatabaseUnavailableError, host: ArgumentsHost): void {
    this.logger.warn({ msg: 'database unavailable', code: error.code ?? null, error: error.message });
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Retry-After', '5')
      .json({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: 'database unavailable' });
  }
}
