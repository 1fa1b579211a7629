import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { BODY_MAX, IMAGE_KEY_MAX, IMAGE_KEY_PATTERN, IMAGE_KEY_PREFIX, TITLE_MAX } from './story-fields';

export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateStoryDto {
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(TITLE_MAX)
  title!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(BODY_MAX)
  body!: string;

  @IsOptional()
  @IsString()
  @MaxLength(IMAGE_KEY_MAX)
  @Matches(IMAGE_KEY_PATTERN, { message: `image_key must be an S3 key under ${IMAGE_KEY_PREFIX}` })
  image_key?: string | null;
}
