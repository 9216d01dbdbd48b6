// Servers a test file starts for its tests: each is closed once the file's tests are done, whatever they did.
import { afterAll } from '@jest/globals';

export interface Closable {
  close(): Promise<void>;
}

/**
 * Registers the file's afterAll and returns `track`: give it a server (or the promise of one) and get the server back.
 * Call it at the top level of a test file.
 */
export function closeAfterAll(): <T extends Closable>(server: T | Promise<T>) => Promise<T> {
  const open: Closable[] = [];
  afterAll(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (server) => {
    const started = await server;
    open.push(started);
    return started;
  };
}
