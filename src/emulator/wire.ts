import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * The emulator's own view of one HTTP exchange, the same whether the request came from an
 * SDK client in this process or over a socket from `stackpilot local serve`.
 */
export interface LocalRequest {
  method: string;
  /** The decoded path, always starting with `/`. */
  path: string;
  /** Query parameters, decoded; a name given without `=` maps to ''. */
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Host name without port, lower case. */
  hostname: string;
  body: Buffer;
  /**
   * An S3 PUT's body as it arrives, when the HTTP server passes it on unread (`body` is then
   * empty): objects are streamed to the store, never held whole.
   */
  bodyStream?: AsyncIterable<Buffer>;
  /** The service and region the request is for (from its signature, target or host). */
  service: string;
  region: string;
}

export interface LocalReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  /** An S3 object's content, read as it is sent (`body` is then empty and `content-length` says its size). */
  bodyStream?: Readable;
}

/** One service's wire protocol over its data plane. */
export interface ServiceEmulator {
  handle(request: LocalRequest): Promise<LocalReply>;
  /** Reads the state it keeps on disk now, so that damaged state is reported when LocalAws opens rather than by a request. */
  open?(): void | Promise<void>;
}

export function newRequestId(): string {
  return randomUUID();
}

export function xmlReply(status: number, xml: string, headers: Record<string, string> = {}): LocalReply {
  return { status, headers: { 'content-type': 'text/xml', ...headers }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}` };
}

/** awsJson 1.0/1.1 replies: the SDK reads the error name from `__type` or `x-amzn-errortype`. */
export function jsonReply(status: number, value: unknown, contentType = 'application/x-amz-json-1.1'): LocalReply {
  return { status, headers: { 'content-type': contentType, 'x-amzn-requestid': newRequestId() }, body: JSON.stringify(value) };
}

export function jsonErrorReply(code: string, message: string, status = 400, contentType?: string): LocalReply {
  const reply = jsonReply(status, { __type: code, message, Message: message }, contentType);
  reply.headers['x-amzn-errortype'] = code;
  return reply;
}

/** An error a service answers with, in its own protocol's shape. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** The action named by an awsJson `X-Amz-Target` header (`AmazonSSM.PutParameter` -> `PutParameter`). */
export function targetAction(request: LocalRequest): string {
  const target = request.headers['x-amz-target'] ?? '';
  return target.slice(target.lastIndexOf('.') + 1);
}

/** Parses an awsJson request body; an empty body is an empty input. Every awsJson input is a structure: anything else is refused as AWS refuses it. */
export function readJsonBody<T = Record<string, unknown>>(request: LocalRequest): T {
  if (request.body.length === 0) return {} as T;
  let input: unknown;
  try {
    input = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ServiceError('SerializationException', 'The request body must be a JSON object');
  return input as T;
}
