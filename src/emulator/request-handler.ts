import { Readable } from 'node:stream';
import { HttpResponse, type HttpHandler, type HttpRequest } from '@smithy/protocol-http';
import { EventLoopShare } from './event-loop-share.ts';
import { identifyTarget } from './service-routing.ts';
import type { LocalReply, LocalRequest } from './wire.ts';

/** Answers one request for any emulated service. */
export type LocalDispatch = (request: LocalRequest) => Promise<LocalReply>;

export interface RawRequest {
  method: string;
  /** The path as sent, percent-encoded. */
  rawPath: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  hostname: string;
  body: Buffer;
}

/** Turns a request as it arrived (in-process or over HTTP) into the emulator's view of it. */
export function toLocalRequest(raw: RawRequest, defaultRegion: string): LocalRequest {
  const target = identifyTarget(raw.headers, raw.query, raw.hostname, raw.body);
  return {
    method: raw.method.toUpperCase(),
    path: decodePath(raw.rawPath),
    query: raw.query,
    headers: raw.headers,
    hostname: raw.hostname,
    body: raw.body,
    service: target.service,
    region: target.region ?? defaultRegion,
  };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The SDK's transport, replaced: an AWS SDK v3 client configured with this handler sends its
 * fully built and signed request here, and the emulator answers it in the same process, with
 * no socket. Everything above the transport (serialization, signing, retries, parsing) is the
 * SDK's own code, exactly as against AWS.
 */
export class LocalRequestHandler implements HttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(
    private readonly dispatch: LocalDispatch,
    private readonly defaultRegion: string,
    private readonly share = EventLoopShare.process,
  ) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const local = toLocalRequest(
      { method: request.method, rawPath: request.path, query: flattenQuery(request.query), headers, hostname: request.hostname.toLowerCase(), body: await collectBody(request.body) },
      this.defaultRegion,
    );
    await this.share.turn();
    const reply = await this.dispatch(local);
    // A network round trip would let the event loop turn; without one, a whole deploy can run as
    // one chain of promises, and timers, signals (Ctrl-C) and requests over HTTP would wait for its end.
    await this.share.turn();
    if (reply.bodyStream) return { response: new HttpResponse({ statusCode: reply.status, headers: reply.headers, body: reply.bodyStream }) };
    const body = local.method === 'HEAD' ? Buffer.alloc(0) : typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    return {
      response: new HttpResponse({
        statusCode: reply.status,
        // HEAD replies describe the body they leave out.
        headers: { 'content-length': String(body.length), ...(local.method === 'HEAD' ? reply.headers : { ...reply.headers, 'content-length': String(body.length) }) },
        // S3's streaming outputs (GetObject) need a Node stream; other services' replies are read whole.
        body: local.service === 's3' ? Readable.from([body]) : body,
      }),
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

function flattenQuery(query: HttpRequest['query']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(query ?? {})) flat[name] = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  return flat;
}

/** Reads an SDK request body, whatever form the SDK built it in. */
export async function collectBody(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<string | Uint8Array>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  throw new TypeError(`Unsupported request body type: ${Object.prototype.toString.call(body)}`);
}
