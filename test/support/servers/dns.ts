// Fake authoritative DNS over UDP on loopback, for `new Resolver().setServers([server])`.
import { createSocket } from 'node:dgram';
import type { RemoteInfo } from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';
import { LOOPBACK_HOST } from './loopback.js';

export interface ZoneEntry {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
  rcode?: 'NXDOMAIN' | 'SERVFAIL' | 'NOERROR';
  /** Never answers, so the resolver times out. */
  silent?: boolean;
}

export interface DnsServer {
  host: '127.0.0.1';
  port: number;
  address: string;
  /** `127.0.0.1:<port>`, ready for Resolver.setServers. */
  server: string;
  /** Names asked, lower-cased without the trailing dot, in arrival order (retries included). */
  queries: string[];
  /** Name and record type of every question, in arrival order. */
  questions: Array<{ name: string; type: string }>;
  close(): Promise<void>;
}

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;
const TTL_SECONDS = 60;
const MAX_CNAME_CHAIN = 8;

type Rcode = keyof typeof RCODES;
interface Reply {
  rcode: Rcode;
  answers: Answer[];
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function addressRecords(name: string, entry: ZoneEntry, type: string): Answer[] {
  if (type === 'A') return (entry.A ?? []).map((data) => ({ type: 'A', name, ttl: TTL_SECONDS, data }));
  if (type === 'AAAA') return (entry.AAAA ?? []).map((data) => ({ type: 'AAAA', name, ttl: TTL_SECONDS, data }));
  return [];
}

/** Builds the reply, or undefined when a silent entry is reached. c-ares does not chase CNAMEs, so the chain is flattened here. */
function answer(zone: ReadonlyMap<string, ZoneEntry>, question: Question): Reply | undefined {
  const answers: Answer[] = [];
  let name = question.name;
  for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop += 1) {
    const entry = zone.get(normalise(name));
    if (!entry) return { rcode: 'NXDOMAIN', answers };
    if (entry.silent) return undefined;
    if (entry.rcode && entry.rcode !== 'NOERROR') return { rcode: entry.rcode, answers };
    if (entry.CNAME === undefined || question.type === 'CNAME') {
      if (entry.CNAME !== undefined) answers.push({ type: 'CNAME', name, ttl: TTL_SECONDS, data: entry.CNAME });
      return { rcode: 'NOERROR', answers: [...answers, ...addressRecords(name, entry, question.type)] };
    }
    answers.push({ type: 'CNAME', name, ttl: TTL_SECONDS, data: entry.CNAME });
    name = entry.CNAME;
  }
  return { rcode: 'SERVFAIL', answers: [] };
}

export async function startDnsServer(zone: Record<string, ZoneEntry>): Promise<DnsServer> {
  const normalisedZone = new Map(Object.entries(zone).map(([name, entry]) => [normalise(name), entry]));
  const socket = createSocket('udp4');
  const queries: string[] = [];
  const questions: Array<{ name: string; type: string }> = [];

  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // not DNS: drop it, as a real server would
    }
    const question = query.questions?.[0];
    if (!question) return;
    queries.push(normalise(question.name));
    questions.push({ name: normalise(question.name), type: question.type });
    const reply = answer(normalisedZone, question);
    if (!reply) return;
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags:
        dnsPacket.AUTHORITATIVE_ANSWER |
        dnsPacket.RECURSION_AVAILABLE |
        (query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) |
        RCODES[reply.rcode],
      questions: [question],
      answers: reply.answers,
    });
    socket.send(response, remote.port, remote.address);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK_HOST, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // Late send errors (client gone) must not crash the test process.
  socket.on('error', () => {});
  const { port } = socket.address();
  let closing: Promise<void> | undefined;
  return {
    host: LOOPBACK_HOST,
    port,
    address: `${LOOPBACK_HOST}:${port}`,
    server: `${LOOPBACK_HOST}:${port}`,
    queries,
    questions,
    close() {
      closing ??= new Promise<void>((resolve) => socket.close(() => resolve()));
      return closing;
    },
  };
}
