// A bare grpc-js server whose WorkflowService methods answer a fixed status (or an empty, valid response): for the
// gRPC errors the Temporal test frontend never sends (UNAVAILABLE, INTERNAL, UNAUTHENTICATED on DescribeNamespace).
import * as grpc from '@grpc/grpc-js';

export type MethodAnswer = 'ok' | { code: grpc.status; details: string };

export interface StatusServer {
  port: number;
  close(): Promise<void>;
}

export async function startStatusServer(answers: Record<string, MethodAnswer>): Promise<StatusServer> {
  const server = new grpc.Server();
  const identity = (bytes: Buffer): Buffer => bytes;
  const definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [method, answer] of Object.entries(answers)) {
    definition[method] = {
      path: `/temporal.api.workflowservice.v1.WorkflowService/${method}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    };
    // An empty buffer is a valid encoding of any protobuf message with every field unset.
    implementation[method] = (_call: unknown, callback: grpc.sendUnaryData<Buffer>) =>
      answer === 'ok' ? callback(null, Buffer.alloc(0)) : callback({ code: answer.code, details: answer.details });
  }
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound)
    )
  );
  return { port, close: async () => server.forceShutdown() };
}
