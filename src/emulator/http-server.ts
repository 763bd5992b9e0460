import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import type { LocalAws } from './local-aws.ts';
import { requireSignature, verifySignature, type LocalCredentials, type RequestSignature } from './request-authentication.ts';
import { toLocalRequest } from './request-handler.ts';
import { ServedAddress, crossSiteRefusal } from './serve-access.ts';
import { serviceErrorReply } from './service-errors.ts';
import { BodyTooLarge, MAX_BUFFERED_BODY_BYTES, declaredLength, readBoundedBody } from './request-body.ts';
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
  const handle = (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) => {
    answer(local, address, options.credentials, request, response, expectsContinue).catch((error: unknown) => {
      if (!response.headersSent) {
        const reply = jsonErrorReply('InternalFailure', error instanceof Error ? error.message : String(error), 500);
        response.writeHead(reply.status, reply.headers).end(reply.body);
      } else {
        response.destroy();
      }
    });
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => handle(request, response, false));
  // A client that waits for `100 Continue` before sending its body gets it once the body is read: a refused request is refused before it is sent.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => handle(request, response, true));
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

async function answer(
  local: Dispatcher,
  address: ServedAddress,
  credentials: LocalCredentials | undefined,
  request: IncomingMessage,
  response: ServerResponse,
  expectsContinue: boolean,
): Promise<void> {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const wire: SignedRequest = { method: request.method ?? 'GET', rawPath: queryStart >= 0 ? url.slice(0, queryStart) : url, rawQuery: queryStart >= 0 ? url.slice(queryStart + 1) : '', headers: {} };
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) wire.headers[name] = Array.isArray(value) ? value.join(', ') : value;
  // Without a prototype: a parameter named `constructor` or `__proto__` is one like any other.
  const query = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(wire.rawQuery)) query[name] ??= value;
  const hostname = (wire.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  // The service is known from the signature, or the target, Action or host of an unsigned request: refusals need no body.
  const unread = toLocalRequest({ ...wire, query, hostname, body: Buffer.alloc(0) }, local.region);
  try {
    const signature = admit(local, address, unread);
    const body = incomingBody(request, response, expectsContinue);
    // S3 PUT bodies are passed on unread, for objects to be streamed to disk (S3 signs the payload hash it declares: checking needs no body).
    const streamed = unread.service === 's3' && unread.method === 'PUT';
    const localRequest: LocalRequest = streamed ? { ...unread, bodyStream: body } : { ...unread, body: await readWithinBound(unread, body) };
    if (signature && credentials) verifySignature(signature, localRequest, wire, credentials, new Date());
    send(response, localRequest, await local.dispatch(localRequest));
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    send(response, unread, serviceErrorReply(unread, error));
  }
}

/** A body read whole: refused beyond MAX_BUFFERED_BODY_BYTES, as AWS refuses a request too large for its API. */
async function readWithinBound(request: LocalRequest, body: AsyncIterable<Buffer>): Promise<Buffer> {
  try {
    return await readBoundedBody(body, MAX_BUFFERED_BODY_BYTES, declaredLength(request.headers));
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    const message = `The request body is larger than ${MAX_BUFFERED_BODY_BYTES} bytes, more than any ${request.service} request may be`;
    throw request.service === 's3' ? new ServiceError('MaxMessageLengthExceeded', 'Your request was too big.', 400) : new ServiceError('RequestEntityTooLarge', message, 413);
  }
}

/**
 * A request's body as it arrives. `100 Continue` goes out when it is first read; a reader that
 * stops early (a body too large, a malformed one) leaves the rest to be read and dropped rather
 * than the connection torn down, so that its reply still reaches the client.
 */
function incomingBody(request: IncomingMessage, response: ServerResponse, expectsContinue: boolean): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      if (expectsContinue) response.writeContinue();
      try {
        for await (const chunk of request.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
      } finally {
        if (!request.readableEnded) request.resume();
      }
    },
  };
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
  if (reply.bodyStream) {
    response.writeHead(reply.status, reply.headers);
    // A client gone mid-way ends the reading too.
    pipeline(reply.bodyStream, response, () => {});
    return;
  }
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  const isHead = request.method === 'HEAD';
  response.writeHead(reply.status, { 'content-length': String(body.length), ...(isHead ? reply.headers : { ...reply.headers, 'content-length': String(body.length) }) });
  response.end(isHead ? undefined : body);
}
