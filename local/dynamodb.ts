import http from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { AwsError } from './protocol.ts';

/**
 * DynamoDB for the local cloud: dynalite (a DynamoDB implementation on LevelDB, in memory here)
 * on a private loopback port, reached through the edge by forwarding `DynamoDB_20120810.*`
 * requests unchanged, so one AWS_ENDPOINT_URL serves every client.
 */
export interface LocalDynamoDb {
  forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void>;
  close(): Promise<void>;
}

export async function startDynamoDb(): Promise<LocalDynamoDb> {
  // createTableMs/deleteTableMs 0: tables are ACTIVE at once, as tests and `npm start` want.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as http.Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true });

  return {
    forward: (req, body, res) =>
      new Promise<void>((resolve, reject) => {
        const upstream = http.request(
          { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            answer.pipe(res);
            answer.on('end', resolve);
            answer.on('error', reject);
          },
        );
        upstream.on('error', reject);
        upstream.end(body);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * What an injected throttle fault answers a DynamoDB call with. DynamoDB throttles reads and writes
 * with ProvisionedThroughputExceededException, the exception modelled on every item operation (so
 * callers can catch it by class); the SDK's retry strategy classifies it as throttling, as it does
 * ThrottlingException (THROTTLING_ERROR_CODES in @smithy/core service-error-classification).
 */
export function dynamoDbThrottling(): AwsError {
  return new AwsError(
    'ProvisionedThroughputExceededException',
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  );
}
