import { describe, expect, it } from '@jest/globals';
import { CLOUD_REGIONS, regionFinding } from '../../../src/knowledge/cloud-regions.js';

const judge = (host: string) => regionFinding(host, '--address');

describe('regionFinding', () => {
  it('passes every listed region in both endpoint forms', () => {
    for (const [provider, regions] of Object.entries(CLOUD_REGIONS))
      for (const region of regions) {
        expect(judge(`${region}.${provider}.api.temporal.io`)?.status).toBe('pass');
        expect(judge(`${provider}-${region}.region.tmprl.cloud`)?.status).toBe('pass');
      }
  });

  it.each([
    ['us-east1.aws.api.temporal.io', 'fail', 'us-east-1.aws.api.temporal.io:7233'],
    ['us-esat-1.aws.api.temporal.io', 'fail', 'us-east-1.aws.api.temporal.io:7233'],
    ['us-east-1.aws.api.tmprl.cloud', 'fail', 'us-east-1.aws.api.temporal.io:7233'],
    ['us-east-1.asw.api.temporal.io', 'fail', 'us-east-1.aws.api.temporal.io:7233'],
    ['us-east-1.api.temporal.io', 'fail', 'us-east-1.aws.api.temporal.io:7233'],
    ['us-east4.aws.api.temporal.io', 'fail', 'us-east4.gcp.api.temporal.io:7233'],
    ['europe-west-3.gcp.api.temporal.io', 'fail', 'europe-west3.gcp.api.temporal.io:7233'],
    ['aws-us-east1.region.tmprl.cloud', 'fail', 'aws-us-east-1.region.tmprl.cloud:7233'],
    ['us-west-3.aws.api.temporal.io', 'warn', 'us-west-2.aws.api.temporal.io:7233'],
    // <name>.<account>.tmprl.cloud could be a namespace endpoint: only a warning.
    ['us-east-1.aws.tmprl.cloud', 'warn', 'us-east-1.aws.api.temporal.io:7233'],
  ])('%s: %s, did you mean %s', (host, status, suggestion) => {
    const finding = judge(host);
    expect(finding).toMatchObject({ id: 'endpoint.cloud.region', status, suggestion });
    expect(finding?.message).toContain(`did you mean ${suggestion}?`);
    expect(finding?.fix).toContain(`Set --address to ${suggestion}`);
  });

  it('fails a malformed region with no near neighbour without guessing', () => {
    const finding = judge('mars-north-9.aws.api.temporal.io');
    expect(finding?.status).toBe('fail');
    expect(finding?.suggestion).toBeUndefined();
    expect(finding?.fix).toContain('<region>.<cloud>.api.temporal.io:7233');
  });

  it('says nothing about names that name no region', () => {
    for (const host of [
      'myns.acct12.tmprl.cloud',
      'web.myns.acct12.tmprl.cloud',
      'saas-api.tmprl.cloud',
      'cloud.temporal.io',
      'temporal.example.com',
      'us-east-1.aws.example.com',
    ])
      expect(judge(host)).toBeUndefined();
  });
});
