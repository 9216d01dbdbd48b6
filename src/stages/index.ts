// The only registry of stages. Order is the diagnosis: the root cause is the first failing check in this order.
import type { Stage, StageId } from '../pipeline/types.js';
import { configStage } from './config.js';
import { pemStage } from './pem.js';
import { endpointStage } from './endpoint.js';
import { dnsStage } from './dns.js';
import { tcpStage } from './tcp.js';
import { tlsStage } from './tls/index.js';
import { grpcStage } from './grpc/index.js';
import { namespaceStage } from './namespace.js';
import { codecStage } from './codec/index.js';

export const STAGES: readonly Stage<StageId, StageId>[] = [
  configStage,
  pemStage,
  endpointStage,
  dnsStage,
  tcpStage,
  tlsStage,
  grpcStage,
  namespaceStage,
  codecStage,
] as unknown as readonly Stage<StageId, StageId>[];
