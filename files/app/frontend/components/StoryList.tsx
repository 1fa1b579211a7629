import type { Story } from '@/lib/api';
import { imageUrl } from '@/lib/images';

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function StoryList({ stories, s3Url }: { stories: Story[]; s3Url: string }) {
  if (stories.length === 0) {
    return <p className="empty">No stories yet. Write the first one.</p>;
  }
  return (
    <ul className="stories" aria-label="Stories">
      {stories.map((story) => {
        const src = imageUrl(s3Url, story.image_key);
        return (
          <li key={story.id} className="story">
            <article>
              <h3>{story.title}</h3>
              <p className="meta">
                <time dateTime={story.created_at}>{dateFormat.format(new Date(story.created_at))} UTC</time>
              </p>
              {src ? (
                // A plain img: the bucket serves the file itself, no Next.js image optimisation in between.
                <img src={src} alt="" loading="lazy" />
              ) : null}
              <p className="body">{story.body}</p>
            </article>
          </li>
        );
      })}
    </ul>
  );
}
