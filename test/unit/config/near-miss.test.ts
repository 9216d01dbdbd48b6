import { describe, expect, it } from '@jest/globals';
import { didYouMean, editDistance, findEnvNearMisses, knownEnvNames } from '../../../src/config/near-miss.js';

describe('findEnvNearMisses', () => {
  it.each([
    ['TEMPORAL_HOST', 'TEMPORAL_ADDRESS'],
    ['TEMPORAL_HOST_URL', 'TEMPORAL_ADDRESS'],
    ['TEMPORAL_CLI_ADDRESS', 'TEMPORAL_ADDRESS'],
    ['TEMPORAL_TLS_CA_CERT', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'],
    ['TEMPORAL_CLIENT_API_KEY', 'TEMPORAL_API_KEY'],
    ['TEMPORAL_NAMESPACE_ID', 'TEMPORAL_NAMESPACE'],
    ['TEMPORAL_ADRESS', 'TEMPORAL_ADDRESS'],
    ['TEMPORAL_NAMESAPCE', 'TEMPORAL_NAMESPACE'],
    ['TEMPORAL_API_KEYS', 'TEMPORAL_API_KEY'],
    ['TEMPORAL_TSL', 'TEMPORAL_TLS'],
    ['TEMPORAL_TLS_CLIENT_CERT_PAHT', 'TEMPORAL_TLS_CLIENT_CERT_PATH'],
    ['temporal_address', 'TEMPORAL_ADDRESS'],
  ])('suggests the right name for %s', (name, suggestion) => {
    expect(findEnvNearMisses([name])).toEqual([{ name, suggestion }]);
  });

  it.each([
    ['TEMPORAL_ADDRESS'],
    ['TEMPORAL_CLIENT_CERT_PATH'],
    ['TEMPORAL_GRPC_META_X_TEAM'],
    ['TEMPORAL_WORKER_SHUTDOWN_GRACE'],
    ['HOME'],
    ['TEMPORAL_ENV'],
  ])('leaves %s alone', (name) => {
    expect(findEnvNearMisses([name])).toEqual([]);
  });

  it('knows every environment name of the settings table', () => {
    expect(knownEnvNames()).toEqual(
      expect.arrayContaining(['TEMPORAL_ADDRESS', 'TEMPORAL_TLS_CA', 'TEMPORAL_SERVER_NAME_OVERRIDE'])
    );
  });
});

describe('didYouMean', () => {
  it('finds close TOML keys and nothing for distant ones', () => {
    expect(didYouMean('addres', ['address', 'namespace'])).toBe('address');
    expect(didYouMean('client_cert', ['client_cert_path', 'server_name'])).toBeUndefined();
    expect(didYouMean('zzz', ['address'])).toBeUndefined();
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('tsl', 'tls')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
