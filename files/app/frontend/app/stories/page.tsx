import type { Metadata } from 'next';
import { StoriesView } from '@/components/StoriesView';
import { publicConfig } from '@/lib/config';

// Rendered per request, so NEXT_PUBLIC_S3_URL and NEXT_PUBLIC_BASE_URL are read when the server runs, not
// when it was built.
export const dynamic = 'force-dynamic';

export function generateMetadata(): Metadata {
  const { baseUrl } = publicConfig();
  return {
    title: 'Stories',
    ...(baseUrl ? { metadataBase: new URL(baseUrl), alternates: { canonical: '/stories' } } : {}),
  };
}

export default function StoriesPage() {
  const { s3Url } = publicConfig();
  return (
    <>
      <h1>Stories</h1>
      <StoriesView s3Url={s3Url} />
    </>
  );
}
