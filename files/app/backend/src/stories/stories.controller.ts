import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { CreateStoryDto } from './dto/create-story.dto';
import { ListStoriesQuery } from './dto/list-stories.query';
import { UpdateStoryDto } from './dto/update-story.dto';
import { StoriesService } from './stories.service';
import { Story } from './story';

const id = new ParseIntPipe({ errorHttpStatusCode: HttpStatus.BAD_REQUEST });

@Controller('stories')
export class StoriesController {
  constructor(private readonly stories: StoriesService) {}

  @Get()
  async list(@Query() query: ListStoriesQuery): Promise<{ items: Story[]; limit: number; offset: number }> {
    return { items: await this.stories.list(query.limit, query.offset), limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  get(@Param('id', id) storyId: number): Promise<Story> {
    return this.stories.get(storyId);
  }

  @Post()
  create(@Body() input: CreateStoryDto): Promise<Story> {
    return this.stories.create(input);
  }

  @Patch(':id')
  update(@Param('id', id) storyId: number, @Body() input: UpdateStoryDto): Promise<Story> {
    if (input.title === undefined && input.body === undefined && input.image_key === undefined) {
      throw new BadRequestException({
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: ['give at least one of title, body, image_key'],
      });
    }
    return this.stories.update(storyId, input);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Param('id', id) storyId: number): Promise<void> {
    return this.stories.remove(storyId);
  }
}
