import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalAws } from './local-aws.ts';
import { toLocalRequest } from './request-handler.ts';
import { jsonErrorReply } from './wire.ts';

export interface ServeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface LocalAwsServer {
  server: Server;
  port: number;
  /** `http://127.0.0.1:PORT`, for `--endpoint-url` and SDK `endpoint`s. */
  url: string;
  close(): Promise<void>;
}

/** What the server answers from: a LocalAws, or anything that dispatches as one does (a test's wrapper). */
export type Dispatcher = Pick<LocalAws, 'dispatch' | 'region'>;

/**
 * Serves the local emulator over HTTP on 127.0.0.1, for clients outside this process (the aws
 * CLI with `--endpoint-url`, other SDKs, presigned URLs). Same handler as in-process.
 */
export async function serveLocalAws(local: Dispatcher, options: ServeOptions = {}): Promise<LocalAwsServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    answer(local, request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        const reply = jsonErrorReply('InternalFailure', error instanceof Error ? error.message : String(error), 500);
        response.writeHead(reply.status, reply.headers).end(reply.body);
      } else {
        response.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(local: Dispatcher, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const query: Record<string, string> = {};
  if (queryStart >= 0) for (const [name, value] of new URLSearchParams(url.slice(queryStart + 1))) query[name] ??= value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const hostname = (headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const localRequest = toLocalRequest(
    { method: request.method ?? 'GET', rawPath: queryStart >= 0 ? url.slice(0, queryStart) : url, query, headers, hostname, body: Buffer.concat(chunks) },
    local.region,
  );
  const reply = await local.dispatch(localRequest);
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  const isHead = localRequest.method === 'HEAD';
  response.writeHead(reply.status, { 'content-length': String(body.length), ...(isHead ? reply.headers : { ...reply.headers, 'content-length': String(body.length) }) });
  response.end(isHead ? undefined : body);
}
