import { S3Error } from './s3-protocol.ts';

/**
 * True when a body uses the `aws-chunked` content encoding: SDKs send it for streamed uploads
 * (with the checksum as a trailer) and for SigV4 streaming signatures.
 */
export function isAwsChunked(headers: Record<string, string>): boolean {
  return (headers['content-encoding'] ?? '').split(',').some((e) => e.trim() === 'aws-chunked') || (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
}

/** A chunk's size line (`<hex size>;chunk-signature=<64 hex>\r\n`) is far shorter; a longer one is not one. */
const MAX_SIZE_LINE = 4096;

/**
 * The payload inside an aws-chunked body, as it arrives: `<hex size>[;chunk-signature=...]\r\n<data>\r\n`...,
 * ending with a 0-size chunk and trailers (checksums), which are read and left out. The data is
 * passed on as it comes, never gathered.
 */
export async function* decodeAwsChunked(body: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
  let state: 'size' | 'data' | 'data-end' | 'trailers' = 'size';
  let sizeLine = '';
  let remaining = 0;
  let crlfRead = 0;
  for await (const input of body) {
    let at = 0;
    while (at < input.length) {
      if (state === 'size') {
        const newline = input.indexOf(0x0a, at);
        const end = Math.min(newline < 0 ? input.length : newline + 1, at + MAX_SIZE_LINE + 1);
        sizeLine += input.toString('latin1', at, end);
        at = end;
        if (sizeLine.length > MAX_SIZE_LINE) throw malformed();
        if (!sizeLine.endsWith('\n')) continue;
        const size = /^([0-9a-f]{1,16})(?:;[^\r\n]*)?\r\n$/i.exec(sizeLine);
        if (!size) throw malformed();
        sizeLine = '';
        remaining = parseInt(size[1], 16);
        state = remaining === 0 ? 'trailers' : 'data';
      } else if (state === 'data') {
        const take = Math.min(remaining, input.length - at);
        yield input.subarray(at, at + take);
        at += take;
        remaining -= take;
        if (remaining === 0) state = 'data-end';
      } else if (state === 'data-end') {
        // The CRLF after a chunk's data, a byte at a time: a read may end between the two.
        if (input[at] !== (crlfRead === 0 ? 0x0d : 0x0a)) throw malformed();
        at++;
        crlfRead++;
        if (crlfRead === 2) {
          crlfRead = 0;
          state = 'size';
        }
      } else {
        at = input.length;
      }
    }
  }
  if (state !== 'trailers') throw malformed();
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
