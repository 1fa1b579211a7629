import { Controller, Get, Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from './config/config';
import { IMAGE_KEY_PREFIX } from './stories/dto/story-fields';
import { SERVICE_NAME, VERSION } from './version';

/** GET /api: what this service is and where story images belong (the frontend builds their URLs). */
@Controller()
export class InfoController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  info(): { service: string; version: string; uploads: { bucket: string; stories_prefix: string } } {
    return {
      service: SERVICE_NAME,
      version: VERSION,
      uploads: { bucket: this.config.uploadsBucket, stories_prefix: IMAGE_KEY_PREFIX },
    };
  }
}
