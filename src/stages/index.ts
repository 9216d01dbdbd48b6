// The only registry of stages: one stage for each id, in the one run order of STAGE_IDS (src/facts.ts).
import { STAGE_IDS, type DoctorStage, type StageId } from '../facts.js';
import { configStage } from './config.js';
import { pemStage } from './pem/index.js';
import { endpointStage } from './endpoint.js';
import { cloudStage } from './cloud/index.js';
import { dnsStage } from './dns.js';
import { tcpStage } from './tcp.js';
import { proxyStage } from './proxy.js';
import { tlsStage } from './tls/index.js';
import { grpcStage } from './grpc/index.js';
import { namespaceStage } from './namespace.js';
import { codecStage } from './codec/index.js';

const REGISTRY: { [Id in StageId]: DoctorStage<Id> } = {
  config: configStage,
  pem: pemStage,
  endpoint: endpointStage,
  cloud: cloudStage,
  dns: dnsStage,
  tcp: tcpStage,
  proxy: proxyStage,
  tls: tlsStage,
  grpc: grpcStage,
  namespace: namespaceStage,
  codec: codecStage,
};

export const STAGES: readonly DoctorStage<StageId>[] = STAGE_IDS.map((id) => REGISTRY[id]);
