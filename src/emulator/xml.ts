import { ServiceError } from './wire.ts';

/** XML text and attribute escaping. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** `<name>text</name>`, or nothing when the value is absent. */
export function xmlText(name: string, value: string | number | boolean | undefined | null): string {
  return value === undefined || value === null ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A parsed element: its local name (namespace prefix dropped), attributes, children and text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

export function childText(element: XmlElement, name: string): string | undefined {
  return childElement(element, name)?.text;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Deeper than any S3 document (a lifecycle rule's tag filter is six levels down): deeper input is not one. */
const MAX_DEPTH = 64;

function malformedXml(): ServiceError {
  return new ServiceError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return ENTITIES[entity] ?? whole;
    const codePoint = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    // `&#x110000;` names no character.
    if (codePoint > 0x10ffff) throw malformedXml();
    return String.fromCodePoint(codePoint);
  });
}

/**
 * Parses the small XML documents AWS request bodies are (S3 configurations, delete lists).
 * No DTDs or processing instructions beyond the declaration; malformed input is a
 * `MalformedXML` error, as S3 reports it.
 */
export function parseXml(source: string): XmlElement {
  const tokens = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/\s*([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let consumed = 0;
  for (let match = tokens.exec(source); match; match = tokens.exec(source)) {
    if (match.index !== consumed) throw malformedXml();
    consumed = tokens.lastIndex;
    const [whole, cdata, closing, opening, attributeText, selfClosing, text] = match;
    const current = stack[stack.length - 1];
    if (cdata !== undefined) {
      if (!current) throw malformedXml();
      current.text += cdata;
    } else if (closing !== undefined) {
      if (!current || localName(closing) !== current.name) throw malformedXml();
      stack.pop();
    } else if (opening !== undefined) {
      const element: XmlElement = { name: localName(opening), attributes: parseAttributes(attributeText), children: [], text: '' };
      if (current) current.children.push(element);
      else if (root) throw malformedXml();
      else root = element;
      if (!selfClosing) stack.push(element);
      if (stack.length > MAX_DEPTH) throw malformedXml();
    } else if (text !== undefined) {
      if (current) current.text += decodeEntities(text);
      else if (text.trim() !== '') throw malformedXml();
    } else if (!whole.startsWith('<!--') && !whole.startsWith('<?')) {
      throw malformedXml();
    }
  }
  if (consumed !== source.length || stack.length > 0 || !root) throw malformedXml();
  trimMixedText(root);
  return root;
}

function localName(qualified: string): string {
  return qualified.slice(qualified.indexOf(':') + 1);
}

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attributes[m[1]] = decodeEntities(m[2] ?? m[3]);
  return attributes;
}

// Whitespace between child elements is layout, not content.
function trimMixedText(element: XmlElement): void {
  if (element.children.length > 0) {
    element.text = element.text.trim();
    element.children.forEach(trimMixedText);
  }
}
