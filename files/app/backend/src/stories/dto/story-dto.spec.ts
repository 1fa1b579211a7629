import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldErrors } from '../../app';
import { CreateStoryDto } from './create-story.dto';
import { IMAGE_KEY_PATTERN } from './story-fields';
import { UpdateStoryDto } from './update-story.dto';

function errorsOf<T extends object>(cls: new () => T, plain: object): Record<string, string[]> {
  return fieldErrors(validateSync(plainToInstance(cls, plain), { whitelist: true, forbidNonWhitelisted: true }));
}

describe('IMAGE_KEY_PATTERN', () => {
  it.each(['uploads/stories/a.jpg', 'uploads/stories/2024/12/a-b_c.webp', "uploads/stories/x!(1)'*.png", 'uploads/stories/.keep'])(
    'takes %s',
    (key) => expect(IMAGE_KEY_PATTERN.test(key)).toBe(true),
  );

  it.each([
    'uploads/users/a.jpg',
    'uploads/stories/',
    'uploads/stories/../users/a.jpg',
    'uploads/stories/a/./b.jpg',
    'uploads/stories/a/..',
    'uploads/stories//a.jpg',
    'uploads/stories/a/',
    '/uploads/stories/a.jpg',
    'uploads/stories/a b.jpg',
    'uploads/stories/ä.jpg',
  ])('refuses %s', (key) => expect(IMAGE_KEY_PATTERN.test(key)).toBe(false));
});

describe('CreateStoryDto', () => {
  it('takes a title, a body and an optional image key', () => {
    expect(errorsOf(CreateStoryDto, { title: 't', body: 'b' })).toEqual({});
    expect(errorsOf(CreateStoryDto, { title: 't', body: 'b', image_key: null })).toEqual({});
    expect(errorsOf(CreateStoryDto, { title: 't', body: 'b', image_key: 'uploads/stories/a.png' })).toEqual({});
  });

  it('trims the title before checking it', () => {
    expect(plainToInstance(CreateStoryDto, { title: '  t  ', body: ' b ' })).toMatchObject({ title: 't', body: ' b ' });
    expect(errorsOf(CreateStoryDto, { title: '   ', body: 'b' })).toEqual({ title: ['title should not be empty'] });
  });

  it('names each field that is wrong', () => {
    expect(errorsOf(CreateStoryDto, { title: 5, body: '', image_key: 'x', id: 3 })).toEqual({
      title: ['title must be shorter than or equal to 200 characters', 'title must be a string'],
      body: ['body should not be empty'],
      image_key: ['image_key must be an S3 key under uploads/stories/'],
      id: ['property id should not exist'],
    });
  });
});

describe('UpdateStoryDto', () => {
  it('takes any one field and a null image key', () => {
    expect(errorsOf(UpdateStoryDto, {})).toEqual({});
    expect(errorsOf(UpdateStoryDto, { body: 'b' })).toEqual({});
    expect(errorsOf(UpdateStoryDto, { image_key: null })).toEqual({});
  });

  it('refuses a null title or body', () => {
    expect(Object.keys(errorsOf(UpdateStoryDto, { title: null, body: null }))).toEqual(['title', 'body']);
  });
});
