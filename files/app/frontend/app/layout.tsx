import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Webapp stories', template: '%s · Webapp stories' },
  description: 'Short stories with pictures, served by Next.js and a NestJS API on AWS.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Webapp stories
          </Link>
          <nav>
            <Link href="/stories">Stories</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
