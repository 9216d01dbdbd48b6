// A bounded TCP connect to one address, classified the way a fix needs it (refused / timed out / unreachable).
import { connect, type Socket } from 'node:net';
import type { Bounds } from './deadline.js';

export type TcpOutcome = 'connected' | 'refused' | 'timeout' | 'unreachable' | 'reset' | 'error';

export interface TcpAttempt {
  address: string;
  family: 4 | 6;
  port: number;
  outcome: TcpOutcome;
  /** Time to connect, or how long it waited before the outcome. */
  ms: number;
  code?: string;
  message?: string;
}

const OUTCOME_OF_CODE: Record<string, TcpOutcome> = {
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ECONNRESET: 'reset',
  ETIMEDOUT: 'timeout',
};

/**
 * Connects to `address:port`. With `keepOpen` the connected socket is handed back (the caller must destroy it);
 * otherwise it is closed at once.
 */
export function tcpConnect(
  target: { address: string; family: 4 | 6; port: number },
  bounds: Bounds,
  opts: { keepOpen?: boolean } = {}
): Promise<TcpAttempt & { socket?: Socket }> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let done = false;
    const socket = connect({ host: target.address, port: target.port, family: target.family });
    const finish = (attempt: Omit<TcpAttempt, 'address' | 'family' | 'port'>, keep = false): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      bounds.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('connect');
      if (!keep) socket.destroy();
      resolve({ ...target, ...attempt, ...(keep ? { socket } : {}) });
    };
    const onAbort = (): void =>
      finish({ outcome: 'timeout', ms: ms(), code: 'ETIMEOUT', message: `no answer within ${ms()} ms` });
    const timer = setTimeout(onAbort, Math.max(0, bounds.timeoutMs));
    if (bounds.signal.aborted) onAbort();
    else bounds.signal.addEventListener('abort', onAbort, { once: true });
    // Errors after a kept socket is handed over belong to its new owner; this one only keeps them from crashing.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERROR';
      finish({ outcome: OUTCOME_OF_CODE[code] ?? 'error', ms: ms(), code, message: error.message });
    });
    socket.once('connect', () => finish({ outcome: 'connected', ms: ms() }, opts.keepOpen === true));
  });
}

/** A connected socket one stage hands to the next (the tcp stage's, reused by the tls stage's first probe). */
export interface ConnectedSocket {
  socket: Socket;
  attempt: TcpAttempt;
}

/** The socket, if it is still open and unread: a peer that hung up or sent bytes meanwhile gets a fresh connect. */
export function stillFresh(handed: ConnectedSocket | undefined): ConnectedSocket | undefined {
  if (!handed) return undefined;
  const { socket } = handed;
  if (!socket.destroyed && socket.readyState === 'open' && socket.readableLength === 0) return handed;
  socket.destroy();
  return undefined;
}
