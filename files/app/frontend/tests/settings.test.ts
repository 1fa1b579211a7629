import { describe, expect, it } from 'vitest';
import { backendTarget } from '@/lib/backend';
import { publicConfig } from '@/lib/config';
import { imageUrl } from '@/lib/images';

describe('imageUrl', () => {
  it('joins the bucket URL and the key, encoding each segment', () => {
    expect(imageUrl('https://uploads.s3.ap-northeast-2.amazonaws.com/', 'uploads/stories/2024/a b+c.jpg')).toBe(
      'https://uploads.s3.ap-northeast-2.amazonaws.com/uploads/stories/2024/a%20b%2Bc.jpg',
    );
  });

  it('gives no URL without a key or a base', () => {
    expect(imageUrl('https://cdn.example', null)).toBeNull();
    expect(imageUrl('https://cdn.example', '')).toBeNull();
    expect(imageUrl('', 'uploads/stories/a.jpg')).toBeNull();
  });
});

describe('publicConfig', () => {
  it('reads the two public settings, without trailing slashes', () => {
    expect(
      publicConfig({ NEXT_PUBLIC_BASE_URL: ' https://www.example.com/ ', NEXT_PUBLIC_S3_URL: 'https://b.s3.amazonaws.com//' }),
    ).toEqual({ baseUrl: 'https://www.example.com', s3Url: 'https://b.s3.amazonaws.com' });
    expect(publicConfig({})).toEqual({ baseUrl: '', s3Url: '' });
  });
});

describe('backendTarget', () => {
  it('forwards nothing without BACKEND_URL', () => {
    expect(backendTarget(undefined, '/api/stories')).toBeNull();
    expect(backendTarget('  ', '/api/stories')).toBeNull();
  });

  it('keeps the path and the query', () => {
    expect(backendTarget('http://10.0.2.15:9999', '/api/stories', '?limit=5')?.href).toBe('http://10.0.2.15:9999/api/stories?limit=5');
    expect(backendTarget('http://backend:9999/', '/api')?.href).toBe('http://backend:9999/api');
    expect(backendTarget('https://internal.example/base/', '/api/health')?.href).toBe('https://internal.example/base/api/health');
  });

  it('names BACKEND_URL when it is not an http URL', () => {
    expect(() => backendTarget('10.0.2.15:9999x', '/api')).toThrow(/BACKEND_URL must be/);
    expect(() => backendTarget('ftp://backend', '/api')).toThrow('BACKEND_URL must be an http or https URL, got "ftp://backend"');
  });
});
