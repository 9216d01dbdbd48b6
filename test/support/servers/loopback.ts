// Shared plumbing for the loopback test servers: bind 127.0.0.1 port 0, and close without leaving sockets behind.
import type { Server, Socket } from 'node:net';

export interface LoopbackServer {
  host: '127.0.0.1';
  port: number;
  /** `127.0.0.1:<port>` */
  address: string;
  /** Stops listening and destroys every open connection (and whatever the server registered as cleanup). */
  close(): Promise<void>;
}

export const LOOPBACK_HOST = '127.0.0.1';

export function listenLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server bound to no TCP port'));
      else resolve(address.port);
    });
  });
}

/**
 * Listens on loopback and tracks raw TCP connections so close() can destroy them: server.close() alone waits
 * for clients to hang up, which would keep jest alive.
 */
export async function serveLoopback(
  server: Server,
  onClose: () => void = () => {}
): Promise<LoopbackServer & { connectionCount(): number }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    // Clients of hostile servers hang up rudely; an unhandled socket 'error' would crash the test process.
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listenLoopback(server);
  let closing: Promise<void> | undefined;
  return {
    host: LOOPBACK_HOST,
    port,
    address: `${LOOPBACK_HOST}:${port}`,
    connectionCount: () => accepted,
    close() {
      closing ??= new Promise<void>((resolve) => {
        onClose();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      });
      return closing;
    },
  };
}
