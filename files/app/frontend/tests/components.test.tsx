import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import HomePage from '@/app/page';
import { StoryForm } from '@/components/StoryForm';
import { StoryList } from '@/components/StoryList';
import type { Story } from '@/lib/api';

const stories: Story[] = [
  {
    id: 2,
    title: 'Night <market>',
    body: 'Tteokbokki\nand more',
    image_key: 'uploads/stories/market.jpg',
    created_at: '2024-12-02T12:30:00.000Z',
    updated_at: '2024-12-02T12:30:00.000Z',
  },
  {
    id: 1,
    title: 'Morning',
    body: 'Coffee.',
    image_key: null,
    created_at: '2024-12-01T08:00:00.000Z',
    updated_at: '2024-12-01T08:00:00.000Z',
  },
];

describe('StoryList', () => {
  it('shows each story in order, with its image from the bucket URL', () => {
    const html = renderToStaticMarkup(<StoryList stories={stories} s3Url="https://uploads.example" />);
    expect(html.indexOf('Night &lt;market&gt;')).toBeGreaterThan(-1);
    expect(html.indexOf('Night &lt;market&gt;')).toBeLessThan(html.indexOf('Morning'));
    expect(html).toContain('<img src="https://uploads.example/uploads/stories/market.jpg"');
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain('<time dateTime="2024-12-02T12:30:00.000Z">2 Dec 2024, 12:30 UTC</time>');
  });

  it('shows no images when no bucket URL is configured', () => {
    expect(renderToStaticMarkup(<StoryList stories={stories} s3Url="" />)).not.toContain('<img');
  });

  it('invites the first story when there is none', () => {
    expect(renderToStaticMarkup(<StoryList stories={[]} s3Url="" />)).toContain('No stories yet');
  });
});

describe('StoryForm', () => {
  it('renders labelled fields and a submit button', () => {
    const html = renderToStaticMarkup(<StoryForm onCreate={async () => stories[0]} onCreated={() => undefined} />);
    for (const id of ['story-title', 'story-body', 'story-image_key']) {
      expect(html).toContain(`for="${id}"`);
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('placeholder="uploads/stories/my-photo.jpg"');
    expect(html).toContain('<button type="submit">Add story</button>');
  });
});

describe('HomePage', () => {
  it('has a heading and a link to the stories', () => {
    const html = renderToStaticMarkup(<HomePage />);
    expect(html).toContain('<h1>Webapp stories</h1>');
    expect(html).toContain('href="/stories"');
  });
});
