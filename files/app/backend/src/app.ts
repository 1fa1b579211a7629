import { BadRequestException, INestApplication, LoggerService, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { DatabaseService } from './database/database.service';
import { DatabaseUnavailableFilter } from './database/unavailable.filter';

/** Flatten class-validator's errors into `{ field: [messages] }` for the 400's `errors`. */
export function fieldErrors(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      result[path] = Object.values(error.constraints);
    }
    Object.assign(result, fieldErrors(error.children ?? [], path));
  }
  return result;
}

/** Apply what every instance of the API needs: the /api prefix, validation, the 503 filter, trust in the ALB. */
export function configureApp(app: NestExpressApplication): void {
  app.setGlobalPrefix('api');
  app.set('trust proxy', 'loopback, uniquelocal');
  app.disable('x-powered-by');
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const fields = fieldErrors(errors);
        return new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: Object.values(fields).flat(),
          errors: fields,
        });
      },
    }),
  );
  app.useGlobalFilters(new DatabaseUnavailableFilter());
}

/** Create the application for a configuration; the schema is created now if the database answers. */
export async function createApp(config: AppConfig, logger: LoggerService): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    logger,
    bufferLogs: false,
  });
  configureApp(app);
  try {
    await app.get(DatabaseService).ready();
  } catch (error) {
    // Not fatal: the health check answers 503 and the schema is made on the first request that finds the database.
    logger.warn({ msg: 'database not reachable at start; retrying on use', error: (error as Error).message }, 'bootstrap');
  }
  return app;
}
