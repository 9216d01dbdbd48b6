import { describe, expect, it } from '@jest/globals';
import { captureSystemInfo } from '../../../src/sdk/system-info-capture.js';

describe('captureSystemInfo after the doctor closed an abandoned connect', () => {
  it('turns a retry on a shut-down channel into a CANCELLED call instead of an uncaught throw', async () => {
    const capture = captureSystemInfo();
    if (!capture) throw new Error('the SDK next to this package was not found');
    const shutDown = (): never => {
      throw new Error('Channel has been shut down');
    };
    const call = capture.interceptor(
      { method_definition: { path: '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo' } },
      shutDown
    ) as { start(metadata: unknown, listener: unknown): void };
    const status = await new Promise<{ code: number; details: string }>((resolve) => {
      call.start({}, { onReceiveStatus: resolve, onReceiveMetadata() {}, onReceiveMessage() {} });
    });
    expect(status).toMatchObject({ code: 1, details: 'Channel has been shut down' });
  });
});
