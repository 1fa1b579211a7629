import type { RunningServer } from './mariadb';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __mariadb?: RunningServer }).__mariadb?.stop();
}
