/**
 * The largest request body read into memory: DynamoDB's limit for one request (BatchWriteItem),
 * the largest of the served APIs'. CloudFormation templates (51,200 bytes in a body), SSM
 * parameters, secrets and S3's XML documents are far smaller; S3 object uploads are not read
 * into memory but streamed to the store.
 */
export const MAX_BUFFERED_BODY_BYTES = 16 * 1024 * 1024;

/** A body larger than its reader takes. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * Reads a body into one buffer, refusing one larger than `limit`: at once when its declared
 * length says so, else once it has grown past it (the rest is left unread). With a declared
 * length, the chunks are copied into a buffer of that size as they come, so that the body is
 * held once, not twice.
 */
export async function readBoundedBody(chunks: AsyncIterable<Buffer>, limit: number, declaredLength?: number): Promise<Buffer> {
  if (declaredLength !== undefined && declaredLength > limit) throw new BodyTooLarge(limit);
  const sized = declaredLength === undefined ? undefined : Buffer.allocUnsafe(declaredLength);
  let filled = 0;
  // Chunks that did not fit the declared length, or all of them without one.
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    length += chunk.length;
    if (length > limit) throw new BodyTooLarge(limit);
    if (sized && parts.length === 0 && filled + chunk.length <= sized.length) {
      chunk.copy(sized, filled);
      filled += chunk.length;
    } else {
      parts.push(chunk);
    }
  }
  if (!sized) return Buffer.concat(parts, length);
  return parts.length === 0 && filled === sized.length ? sized : Buffer.concat([sized.subarray(0, filled), ...parts]);
}

/** A `content-length` header as a number, or undefined when there is none (a chunked body) or it is not one. */
export function declaredLength(headers: Record<string, string>): number | undefined {
  const value = headers['content-length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
