import Link from 'next/link';

// Rendered once at build time: the ALB's health check of the frontend target group (GET /) never waits on
// the backend or the database.
export default function HomePage() {
  return (
    <section className="hero">
      <h1>Webapp stories</h1>
      <p>
        Short stories with pictures. This page comes from Next.js; the stories come from the NestJS API under{' '}
        <code>/api</code>, kept in MySQL, with their images in the uploads bucket.
      </p>
      <p>
        <Link href="/stories" className="button">
          Read and write stories
        </Link>
      </p>
    </section>
  );
}
