// TLS is off: one ClientHello (no certificate, nothing trusted) to catch "the server speaks TLS but TLS is off", and
// to note what a plaintext peer answered for the grpc stage.
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, skip } from '../../pipeline/check.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { describeSource } from '../../config/setting-names.js';
import { probeTls } from '../../net/tls-probe.js';
import { httpStatusLine, hexPreview } from '../../net/peer-bytes.js';
import { oneLineName } from '../../knowledge/x509.js';
import type { TlsFacts } from '../../facts.js';
import type { ProbeBase } from './session.js';

export async function plaintextProbe(
  config: ResolvedConfig,
  base: ProbeBase,
  where: string,
  timeoutMs: number
): Promise<{ checks: CheckResult[]; facts?: TlsFacts }> {
  // Verification is off here, so no client certificate is ever sent on this probe; and as the chain verdict is unused,
  // nothing is trusted (no root store to load).
  const probe = await probeTls({ ...base, timeoutMs, ca: [], rejectUnauthorized: false, postHandshakeWaitMs: 0 });
  const tlsSource = describeSource(config.tls.source);
  if (probe.reached === 'established' || probe.received.guess === 'tls') {
    const leaf = probe.session?.chain[0];
    return {
      checks: [
        fail('tls.server.speaks-tls', `${where} speaks TLS, but TLS is off (${tlsSource})`, {
          durationMs: probe.ms,
          evidence: evidence({
            'answered ClientHello': probe.session
              ? `${probe.session.protocol} handshake in ${probe.handshakeMs} ms`
              : 'with a TLS record',
            'server certificate': leaf ? oneLineName(leaf.subject) : undefined,
            tls: `off (${tlsSource})`,
          }),
          fix: `Turn TLS on: pass --tls (or TEMPORAL_TLS=true)${whatTurnedTlsOff(config)}, and give --tls-ca-path if the server uses a private CA. A plaintext client sees only a reset or "Failed to connect before the deadline" from this server.`,
        }),
      ],
    };
  }
  const guess = probe.received.guess;
  const peer: Exclude<NonNullable<Extract<TlsFacts, { mode: 'plaintext' }>['peer']>, 'tls'> = guess ??
  (probe.failure?.kind === 'timeout' ? 'silent' : 'closed');
  const answered: Record<typeof peer, string> = {
    http2: 'answered with HTTP/2 frames (a plaintext HTTP/2 server, as gRPC is)',
    http1: `answered with plaintext HTTP/1.x${httpStatusLine(probe.received.first) ? ` (${httpStatusLine(probe.received.first)})` : ''}`,
    unknown: `answered with non-TLS bytes (${hexPreview(probe.received.first)})`,
    silent: `sent nothing in ${probe.ms} ms`,
    closed: 'closed the connection without answering',
  };
  return {
    checks: [
      skip('tls.mode.plaintext', `TLS is off (${tlsSource}); a TLS ClientHello to ${where} got no TLS answer`, {
        durationMs: probe.ms,
        evidence: evidence({
          tls: `off (${tlsSource})`,
          'ClientHello probe': `${where} ${answered[peer]}`,
          waited: `${probe.ms} ms`,
        }),
      }),
    ],
    facts: { mode: 'plaintext', serverSpeaksTls: false, peer },
  };
}

/** " and remove X" naming the setting that turned TLS off, when it was not just the default. */
function whatTurnedTlsOff(config: ResolvedConfig): string {
  const source = config.tls.source;
  if (source.kind === 'default' || source.kind === 'derived') return '';
  return source.kind === 'profile' ? ` and remove ${source.name} from the profile` : ` and remove ${source.name}=false`;
}
