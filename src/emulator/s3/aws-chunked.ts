import { S3Error } from './s3-protocol.ts';

/**
 * True when a body uses the `aws-chunked` content encoding: SDKs send it for streamed uploads
 * (with the checksum as a trailer) and for SigV4 streaming signatures.
 */
export function isAwsChunked(headers: Record<string, string>): boolean {
  return (headers['content-encoding'] ?? '').split(',').some((e) => e.trim() === 'aws-chunked') || (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
}

/** The payload inside an aws-chunked body: `<hex size>[;chunk-signature=...]\r\n<data>\r\n`..., ending with a 0-size chunk and trailers. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw malformed();
    const size = parseInt(body.toString('latin1', offset, lineEnd).split(';')[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw malformed();
    offset = lineEnd + 2;
    if (size === 0) return Buffer.concat(chunks);
    if (offset + size > body.length) throw malformed();
    chunks.push(body.subarray(offset, offset + size));
    offset += size + 2;
  }
}

/** The Content-Encoding to store: the object's own encodings, without the transfer's `aws-chunked`. */
export function storedContentEncoding(headers: Record<string, string>): string | undefined {
  const encodings = (headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked');
  return encodings.length > 0 ? encodings.join(', ') : undefined;
}

function malformed(): S3Error {
  return new S3Error('IncompleteBody', 'The request body is not a valid aws-chunked encoding', 400);
}
