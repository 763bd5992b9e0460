import type { LocalReply, LocalRequest } from '../wire.ts';
import { escapeXml, xmlText } from '../xml.ts';
import { OWNER, S3Error, isoDate, listedName, s3XmlReply } from './s3-protocol.ts';
import type { ObjectVersion, S3Store } from './s3-store.ts';


interface Page<T> {
  entries: ({ item: T } | { commonPrefix: string })[];
  truncated: boolean;
}

interface ListingOptions {
  prefix: string;
  delimiter: string;
  maxKeys: number;
}

/** ListObjects (v1 and v2) and ListObjectVersions, with prefixes, delimiters and paging. */
export class ObjectListing {
  constructor(private readonly store: S3Store) {}

  listObjectsV2(bucket: string, request: LocalRequest): LocalReply {
    const query = request.query;
    const options = listingOptions(query);
    const token = query['continuation-token'];
    const after = token !== undefined ? decodeToken(token) : query['start-after'];
    const page = this.currentObjects(bucket, options, after);
    const encoding = query['encoding-type'];
    const name = (value: string) => escapeXml(listedName(value, encoding));
    const last = page.entries[page.entries.length - 1];
    const next = page.truncated && last ? ('item' in last ? last.item.key : last.commonPrefix) : undefined;
    const body =
      `<Name>${bucket}</Name><Prefix>${name(options.prefix)}</Prefix>` +
      (options.delimiter ? `<Delimiter>${name(options.delimiter)}</Delimiter>` : '') +
      `<MaxKeys>${options.maxKeys}</MaxKeys><KeyCount>${page.entries.length}</KeyCount><IsTruncated>${page.truncated}</IsTruncated>` +
      xmlText('ContinuationToken', token) +
      xmlText('NextContinuationToken', next === undefined ? undefined : encodeToken(next)) +
      (query['start-after'] !== undefined ? `<StartAfter>${name(query['start-after'])}</StartAfter>` : '') +
      xmlText('EncodingType', encoding) +
      renderEntries(page, (v) => objectContents(v, name, query['fetch-owner'] === 'true'), name);
    return s3XmlReply('ListBucketResult', body);
  }

  listObjectsV1(bucket: string, request: LocalRequest): LocalReply {
    const query = request.query;
    const options = listingOptions(query);
    const page = this.currentObjects(bucket, options, query.marker);
    const encoding = query['encoding-type'];
    const name = (value: string) => escapeXml(listedName(value, encoding));
    const last = page.entries[page.entries.length - 1];
    const nextMarker = page.truncated && last ? ('item' in last ? last.item.key : last.commonPrefix) : undefined;
    const body =
      `<Name>${bucket}</Name><Prefix>${name(options.prefix)}</Prefix><Marker>${name(query.marker ?? '')}</Marker>` +
      (nextMarker !== undefined ? `<NextMarker>${name(nextMarker)}</NextMarker>` : '') +
      `<MaxKeys>${options.maxKeys}</MaxKeys>` +
      (options.delimiter ? `<Delimiter>${name(options.delimiter)}</Delimiter>` : '') +
      `<IsTruncated>${page.truncated}</IsTruncated>` +
      xmlText('EncodingType', encoding) +
      renderEntries(page, (v) => objectContents(v, name, true), name);
    return s3XmlReply('ListBucketResult', body);
  }

  listObjectVersions(bucket: string, request: LocalRequest): LocalReply {
    const query = request.query;
    const options = listingOptions(query);
    const keyMarker = query['key-marker'];
    const versionMarker = query['version-id-marker'];
    const entries: Page<ObjectVersion>['entries'] = [];
    let truncated = false;
    let lastPrefix: string | undefined;
    walk: for (const key of this.store.sortedKeys(bucket)) {
      if (!key.startsWith(options.prefix)) continue;
      if (keyMarker !== undefined && (key < keyMarker || (key === keyMarker && !versionMarker))) continue;
      const commonPrefix = commonPrefixOf(key, options);
      if (commonPrefix !== undefined) {
        if (commonPrefix === lastPrefix || (keyMarker !== undefined && commonPrefix <= keyMarker)) continue;
        if (entries.length >= options.maxKeys) {
          truncated = true;
          break;
        }
        entries.push({ commonPrefix });
        lastPrefix = commonPrefix;
        continue;
      }
      let versions = [...this.store.versions(bucket, key)].reverse();
      if (key === keyMarker && versionMarker) versions = versions.slice(versions.findIndex((v) => v.versionId === versionMarker) + 1);
      for (const version of versions) {
        if (entries.length >= options.maxKeys) {
          truncated = true;
          break walk;
        }
        entries.push({ item: version });
      }
    }
    const encoding = query['encoding-type'];
    const name = (value: string) => escapeXml(listedName(value, encoding));
    const last = entries[entries.length - 1];
    const nextMarkers =
      truncated && last ? ('item' in last ? `<NextKeyMarker>${name(last.item.key)}</NextKeyMarker><NextVersionIdMarker>${last.item.versionId}</NextVersionIdMarker>` : `<NextKeyMarker>${name(last.commonPrefix)}</NextKeyMarker>`) : '';
    const body =
      `<Name>${bucket}</Name><Prefix>${name(options.prefix)}</Prefix><KeyMarker>${name(keyMarker ?? '')}</KeyMarker><VersionIdMarker>${escapeXml(versionMarker ?? '')}</VersionIdMarker>` +
      nextMarkers +
      `<MaxKeys>${options.maxKeys}</MaxKeys>` +
      (options.delimiter ? `<Delimiter>${name(options.delimiter)}</Delimiter>` : '') +
      `<IsTruncated>${truncated}</IsTruncated>` +
      xmlText('EncodingType', encoding) +
      renderEntries({ entries, truncated }, (v) => versionEntry(v, this.store.version(bucket, v.key) === v, name), name);
    return s3XmlReply('ListVersionsResult', body);
  }

  /** Current, not deleted objects after `after`, grouped by the delimiter, up to maxKeys entries. */
  private currentObjects(bucket: string, options: ListingOptions, after: string | undefined): Page<ObjectVersion> {
    const entries: Page<ObjectVersion>['entries'] = [];
    let lastPrefix: string | undefined;
    for (const key of this.store.sortedKeys(bucket)) {
      if (!key.startsWith(options.prefix) || (after !== undefined && key <= after)) continue;
      const current = this.store.version(bucket, key);
      if (!current || current.deleteMarker) continue;
      const commonPrefix = commonPrefixOf(key, options);
      if (commonPrefix !== undefined && (commonPrefix === lastPrefix || commonPrefix === after)) continue;
      if (entries.length >= options.maxKeys) return { entries, truncated: true };
      if (commonPrefix !== undefined) {
        entries.push({ commonPrefix });
        lastPrefix = commonPrefix;
      } else {
        entries.push({ item: current });
      }
    }
    return { entries, truncated: false };
  }
}

function listingOptions(query: Record<string, string>): ListingOptions {
  const maxKeys = query['max-keys'] === undefined ? 1000 : Number(query['max-keys']);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400);
  return { prefix: query.prefix ?? '', delimiter: query.delimiter ?? '', maxKeys: Math.min(maxKeys, 1000) };
}

function commonPrefixOf(key: string, options: ListingOptions): string | undefined {
  if (!options.delimiter) return undefined;
  const index = key.indexOf(options.delimiter, options.prefix.length);
  return index < 0 ? undefined : key.slice(0, index + options.delimiter.length);
}

function renderEntries<T>(page: Page<T>, renderItem: (item: T) => string, name: (value: string) => string): string {
  const items = page.entries.map((e) => ('item' in e ? renderItem(e.item) : '')).join('');
  const prefixes = page.entries.map((e) => ('commonPrefix' in e ? `<CommonPrefixes><Prefix>${name(e.commonPrefix)}</Prefix></CommonPrefixes>` : '')).join('');
  return items + prefixes;
}

function objectContents(version: ObjectVersion, name: (value: string) => string, withOwner: boolean): string {
  return (
    `<Contents><Key>${name(version.key)}</Key><LastModified>${isoDate(version.lastModified)}</LastModified><ETag>${escapeXml(version.etag)}</ETag>` +
    `<Size>${version.size}</Size>${withOwner ? OWNER : ''}<StorageClass>${version.headers['x-amz-storage-class'] ?? 'STANDARD'}</StorageClass></Contents>`
  );
}

function versionEntry(version: ObjectVersion, isLatest: boolean, name: (value: string) => string): string {
  const common = `<Key>${name(version.key)}</Key><VersionId>${version.versionId}</VersionId><IsLatest>${isLatest}</IsLatest><LastModified>${isoDate(version.lastModified)}</LastModified>`;
  if (version.deleteMarker) return `<DeleteMarker>${common}${OWNER}</DeleteMarker>`;
  return `<Version>${common}<ETag>${escapeXml(version.etag)}</ETag><Size>${version.size}</Size>${OWNER}<StorageClass>${version.headers['x-amz-storage-class'] ?? 'STANDARD'}</StorageClass></Version>`;
}

// Continuation tokens are opaque to clients; ours carry the last key or prefix returned.
function encodeToken(key: string): string {
  return Buffer.from(key).toString('base64');
}

function decodeToken(token: string): string {
  return Buffer.from(token, 'base64').toString('utf8');
}
