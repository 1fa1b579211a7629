/**
 * The settings the pages need, read from the server's environment when a page is rendered. They are read
 * through a variable name on purpose: Next.js inlines `process.env.NEXT_PUBLIC_…` written out literally
 * into the bundles at build time, and one build should serve every environment.
 */
export interface PublicConfig {
  /** The site's public origin (NEXT_PUBLIC_BASE_URL), e.g. https://www.example.com; '' when unset. */
  baseUrl: string;
  /** Where the uploads bucket's objects are served from (NEXT_PUBLIC_S3_URL); '' when unset (no images). */
  s3Url: string;
}

function setting(env: Record<string, string | undefined>, name: string): string {
  return (env[name] ?? '').trim().replace(/\/+$/, '');
}

export function publicConfig(env: Record<string, string | undefined> = process.env): PublicConfig {
  return { baseUrl: setting(env, 'NEXT_PUBLIC_BASE_URL'), s3Url: setting(env, 'NEXT_PUBLIC_S3_URL') };
}
