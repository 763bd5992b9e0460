import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalAws } from './local-aws.ts';
import { requireSignature, verifySignature, type LocalCredentials, type RequestSignature } from './request-authentication.ts';
import { toLocalRequest } from './request-handler.ts';
import { ServedAddress, crossSiteRefusal } from './serve-access.ts';
import { serviceErrorReply } from './service-errors.ts';
import type { SignedRequest } from './sigv4.ts';
import { ServiceError, jsonErrorReply, type LocalReply, type LocalRequest } from './wire.ts';

export interface ServeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * Host names (`NAME`, any port, or `NAME:PORT`) requests may be addressed to besides the
   * loopback names (127.0.0.1, localhost, [::1], *.localhost) on the served port.
   */
  allowedHosts?: readonly string[];
  /** Accept only signatures by this key pair; without, a signature by any key is accepted unchecked. */
  credentials?: LocalCredentials;
}

export interface LocalAwsServer {
  server: Server;
  port: number;
  /** `http://127.0.0.1:PORT`, for `--endpoint-url` and SDK `endpoint`s. */
  url: string;
  close(): Promise<void>;
}

/** What the server answers from: a LocalAws, or anything that dispatches as one does (a test's wrapper). */
export type Dispatcher = Pick<LocalAws, 'dispatch' | 'region'> & Partial<Pick<LocalAws, 'allowsCrossOrigin'>>;

/**
 * Serves the local emulator over HTTP on 127.0.0.1, for clients outside this process (the aws
 * CLI with `--endpoint-url`, other SDKs, presigned URLs). Same handler as in-process, behind
 * the checks a socket needs and an in-process client does not: the request is addressed to
 * this server, is not a browser's from another site (unless a bucket's CORS allows it), and is
 * signed, as AWS requires (and by `credentials`, when given).
 */
export async function serveLocalAws(local: Dispatcher, options: ServeOptions = {}): Promise<LocalAwsServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Requests are answered from here on: the served address, port included, is known. None arrive before the listen callback.
  const address = new ServedAddress(host, port, options.allowedHosts);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    answer(local, address, options.credentials, request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        const reply = jsonErrorReply('InternalFailure', error instanceof Error ? error.message : String(error), 500);
        response.writeHead(reply.status, reply.headers).end(reply.body);
      } else {
        response.destroy();
      }
    });
  });
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

async function answer(local: Dispatcher, address: ServedAddress, credentials: LocalCredentials | undefined, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const wire: SignedRequest = { method: request.method ?? 'GET', rawPath: queryStart >= 0 ? url.slice(0, queryStart) : url, rawQuery: queryStart >= 0 ? url.slice(queryStart + 1) : '', headers: {} };
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) wire.headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(wire.rawQuery)) query[name] ??= value;
  const hostname = (wire.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  // The service is known from the signature, or the target, Action or host of an unsigned request: refusals need no body.
  const unread = toLocalRequest({ ...wire, query, hostname, body: Buffer.alloc(0) }, local.region);
  try {
    const signature = admit(local, address, unread);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const localRequest: LocalRequest = { ...unread, body: Buffer.concat(chunks) };
    if (signature && credentials) verifySignature(signature, localRequest, wire, credentials, new Date());
    send(response, localRequest, await local.dispatch(localRequest));
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    send(response, unread, serviceErrorReply(unread, error));
  }
}

/**
 * Throws the service's own error for a request this server does not answer: addressed to
 * another host, from another site's page (unless the bucket's CORS allows it), or unsigned.
 * CORS preflights carry no signature by design: S3 answers them from the bucket's configuration.
 */
function admit(local: Dispatcher, address: ServedAddress, request: LocalRequest): RequestSignature | undefined {
  address.checkHost(request);
  if (request.method === 'OPTIONS') {
    if (request.service !== 's3') throw crossSiteRefusal(request, request.headers.origin ?? 'a page');
    return undefined;
  }
  const origin = address.crossSiteOrigin(request);
  if (origin !== undefined && !(local.allowsCrossOrigin?.(request) ?? false)) throw crossSiteRefusal(request, origin);
  return requireSignature(request, new Date());
}

function send(response: ServerResponse, request: LocalRequest, reply: LocalReply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  const isHead = request.method === 'HEAD';
  response.writeHead(reply.status, { 'content-length': String(body.length), ...(isHead ? reply.headers : { ...reply.headers, 'content-length': String(body.length) }) });
  response.end(isHead ? undefined : body);
}
