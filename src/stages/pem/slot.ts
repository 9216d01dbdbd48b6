// What the pem stage's parts share: the slots it reads, their names, and a slot once loaded.
import type { PemInput, Setting } from '../../config/resolved-config.js';
import type { PemAnalysis, PemSlot } from '../../knowledge/pem-text.js';

export const SLOT_NAME: Record<PemSlot, string> = {
  'client-cert': 'Client certificate',
  'client-key': 'Client key',
  'server-ca': 'Server CA certificate',
};

/** The path setting of each slot, for "put the path in X instead". */
export const PATH_SETTING: Record<PemSlot, 'tlsCertPath' | 'tlsKeyPath' | 'tlsCaPath'> = {
  'client-cert': 'tlsCertPath',
  'client-key': 'tlsKeyPath',
  'server-ca': 'tlsCaPath',
};

export interface LoadedSlot {
  slot: PemSlot;
  setting: Setting<PemInput>;
  /** Where the bytes came from, for evidence: the resolved path or "inline". */
  origin: string;
  text: string;
  analysis: PemAnalysis;
}
