// Next.js configuration of the webapp frontend. /api is not routed here: behind the ALB it never reaches this
// server, and on a host without the ALB proxy.ts forwards it to BACKEND_URL at run time. (A `rewrites()`
// entry would be frozen into .next/routes-manifest.json by `next build`, so a build made without BACKEND_URL
// could never forward /api.)

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Security headers are nginx's job; this only stops announcing the framework.
  poweredByHeader: false,
};

export default nextConfig;
