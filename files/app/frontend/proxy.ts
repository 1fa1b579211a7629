import { NextResponse, type NextRequest } from 'next/server';
import { backendTarget } from './lib/backend';

/**
 * /api on a host without the ALB in front: when BACKEND_URL is set in the server's environment (read per
 * request, so one build serves both cases), /api and /api/* are forwarded to the backend. Behind the ALB,
 * /api/* never reaches Next.js and BACKEND_URL stays unset.
 */
export function proxy(request: NextRequest): NextResponse {
  const target = backendTarget(process.env.BACKEND_URL, request.nextUrl.pathname, request.nextUrl.search);
  return target ? NextResponse.rewrite(target) : NextResponse.next();
}

export const config = {
  matcher: ['/api', '/api/:path*'],
};
