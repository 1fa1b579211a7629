/**
 * Where a request for /api… goes when BACKEND_URL (e.g. http://10.0.2.15:9999) is set: the same path and
 * query on the backend, whose global prefix is /api too. Null when BACKEND_URL is unset.
 */
export function backendTarget(backendUrl: string | undefined, pathname: string, search = ''): URL | null {
  const raw = (backendUrl ?? '').trim();
  if (raw === '') {
    return null;
  }
  let base: URL;
  try {
    base = new URL(raw);
  } catch {
    throw new Error(`BACKEND_URL must be an absolute http(s) URL such as http://10.0.2.15:9999, got ${JSON.stringify(raw)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(`BACKEND_URL must be an http or https URL, got ${JSON.stringify(raw)}`);
  }
  const target = new URL(base.origin);
  target.pathname = `${base.pathname.replace(/\/+$/, '')}${pathname}`;
  target.search = search;
  return target;
}
