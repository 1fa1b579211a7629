import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { trim } from './create-story.dto';
import { BODY_MAX, IMAGE_KEY_MAX, IMAGE_KEY_PATTERN, IMAGE_KEY_PREFIX, TITLE_MAX } from './story-fields';

/** Every field optional; `image_key: null` removes the image, a null title or body is refused. */
export class UpdateStoryDto {
  @ValidateIf((dto: UpdateStoryDto) => dto.title !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(TITLE_MAX)
  title?: string;

  @ValidateIf((dto: UpdateStoryDto) => dto.body !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(BODY_MAX)
  body?: string;

  @IsOptional()
  @IsString()
  @MaxLength(IMAGE_KEY_MAX)
  @Matches(IMAGE_KEY_PATTERN, { message: `image_key must be an S3 key under ${IMAGE_KEY_PREFIX}` })
  image_key?: string | null;
}
