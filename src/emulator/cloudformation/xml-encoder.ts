import { escapeXml } from '../xml.ts';
import type { Shape } from './sdk-shapes.ts';

export const CLOUDFORMATION_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/**
 * An awsQuery reply: `<ActionResponse xmlns><ActionResult>...</ActionResult><ResponseMetadata>`,
 * the result's members in the shape's order, lists as `<member>` elements, maps as
 * `<entry><key/><value/></entry>`, timestamps in ISO 8601, booleans as true/false. Actions without
 * output (DeleteStack...) have no Result element.
 */
export function encodeQueryResponse(action: string, shape: Shape, output: unknown, requestId: string, namespace = CLOUDFORMATION_NAMESPACE): string {
  const result = shape.kind === 'structure' ? `<${action}Result>${encodeMembers(shape, output)}</${action}Result>` : '';
  return `<${action}Response xmlns="${namespace}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

function encodeMembers(shape: Extract<Shape, { kind: 'structure' }>, value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  const record = value as Record<string, unknown>;
  let xml = '';
  for (const [name, member] of shape.members) {
    const memberValue = record[name];
    if (memberValue !== undefined && memberValue !== null) xml += encodeElement(name, member, memberValue);
  }
  return xml;
}

function encodeElement(name: string, shape: Shape, value: unknown): string {
  const content = encodeContent(shape, value);
  return content === '' ? `<${name}/>` : `<${name}>${content}</${name}>`;
}

function encodeContent(shape: Shape, value: unknown): string {
  switch (shape.kind) {
    case 'structure':
      return encodeMembers(shape, value);
    case 'list':
      return Array.isArray(value) ? value.filter((item) => item !== undefined && item !== null).map((item) => encodeElement('member', shape.member, item)).join('') : '';
    case 'map':
      return value && typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined && v !== null)
            .map(([k, v]) => `<entry><key>${escapeXml(k)}</key>${encodeElement('value', shape.value, v)}</entry>`)
            .join('')
        : '';
    case 'timestamp':
      return escapeXml(formatTimestamp(value));
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : escapeXml(String(value));
    case 'document':
      return escapeXml(typeof value === 'string' ? value : JSON.stringify(value));
    default:
      return escapeXml(String(value));
  }
}

function formatTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  return String(value);
}
