import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InfoController } from './info.controller';
import { RequestLoggerMiddleware } from './logging/request-logger.middleware';
import { StoriesModule } from './stories/stories.module';

@Module({})
export class AppModule implements NestModule {
  /** The application for one configuration (loaded and checked by the caller). */
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [DatabaseModule, HealthModule, StoriesModule],
      controllers: [InfoController],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggerMiddleware).forRoutes('{*path}');
  }
}
