/** The public URL of an object of the uploads bucket, or null when there is no key or no base URL. */
export function imageUrl(s3Url: string | undefined, key: string | null | undefined): string | null {
  if (!key || !s3Url) {
    return null;
  }
  const base = s3Url.replace(/\/+$/, '');
  return `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
