import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parseDocument, visit, type Scalar, type ScalarTag, type Tags } from 'yaml';
import { parseTemplate } from './parse.ts';
import { KNOWN_TAGS } from './yaml-parser.ts';

/**
 * One canonical layout for templates, as `rain fmt` gives: YAML with 2-space indents, block
 * collections (flow only for empty ones), plain scalars unless a quote is needed (then single
 * quotes), the top-level sections in a stable order; comments and short-form tags kept. JSON
 * with 2-space indents, key order kept. Pure: text in, text out, or why it was left alone.
 */

/** The order of the top-level sections; others follow, as they were. */
const SECTION_ORDER = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs'];

export type FormatResult = { text: string } | { problem: string };

export function formatTemplate(text: string, file: string): FormatResult {
  const before = parseTemplate(text, file);
  const problem = before.problems.find((p) => p.severity === 'error');
  if (problem) return { problem: `it does not parse (${problem.message}): fix it first` };
  const formatted = before.format === 'json' ? formatJson(text) : formatYaml(text);
  if ('problem' in formatted) return formatted;
  // The safety net: a layout that would read differently is never written.
  const after = parseTemplate(formatted.text, file);
  if (after.problems.some((p) => p.severity === 'error') || !isDeepStrictEqual(after.body, before.body)) return { problem: 'formatting would change what it means: left as it is (please report it)' };
  return formatted;
}

/**
 * JSON re-indented token by token: strings and numbers stay as written (`1.0`, `1e3`, an
 * account id past 2^53, `\u00e9`), which a parse and stringify would rewrite. The text has
 * parsed without problems before it gets here.
 */
function formatJson(text: string): FormatResult {
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '{' || c === '[') {
      let next = i + 1;
      while (next < text.length && /\s/.test(text[next])) next++;
      if (text[next] === (c === '{' ? '}' : ']')) {
        out += c + text[next];
        i = next + 1;
      } else {
        depth++;
        out += c + newline();
        i++;
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
      i++;
    } else if (c === ',') {
      out += `,${newline()}`;
      i++;
    } else if (c === ':') {
      out += ': ';
      i++;
    } else {
      let end = i;
      while (end < text.length && !/[\s,:{}[\]"]/.test(text[end])) end++;
      out += text.slice(i, end);
      i = end;
    }
  }
  return { text: `${out}\n` };
}

/** A number as written: `012345678901` and `123456789012345678901` would not survive a round trip through a JS number. */
class NumberAsWritten {
  constructor(readonly text: string) {}
}

/** The schema's tags, numbers kept as written. */
const formattingTags = (tags: Tags): Tags => [
  ...tags.map((tag) =>
    typeof tag === 'object' && (tag.tag === 'tag:yaml.org,2002:int' || tag.tag === 'tag:yaml.org,2002:float')
      ? ({ ...(tag as ScalarTag), resolve: (text: string) => new NumberAsWritten(text), identify: (value: unknown) => value instanceof NumberAsWritten, stringify: (item: { value: unknown }) => (item.value as NumberAsWritten).text } satisfies ScalarTag)
      : tag,
  ),
  ...KNOWN_TAGS,
];

function formatYaml(text: string): FormatResult {
  const doc = parseDocument(text, { customTags: formattingTags });
  if (doc.errors.length > 0) return { problem: `it does not parse (${doc.errors[0].message})` };
  visit(doc, {
    Map: (_, node) => void (node.flow = node.items.length === 0),
    Seq: (_, node) => void (node.flow = node.items.length === 0),
    Scalar: (_, node) => void (node.type = scalarStyle(node)),
  });
  if (isMap(doc.contents) && doc.contents.items.length > 0) {
    // The comment at the top of the file heads the file, whichever section comes first.
    const first = doc.contents.items[0].key as Scalar | undefined;
    if (first?.commentBefore) {
      doc.commentBefore = [doc.commentBefore, first.commentBefore].filter(Boolean).join('\n');
      first.commentBefore = undefined;
    }
    const rank = (key: unknown) => {
      const i = SECTION_ORDER.indexOf(String((key as Scalar | undefined)?.value ?? key));
      return i === -1 ? SECTION_ORDER.length : i;
    };
    // A stable sort: sections outside the list keep their order, after the known ones.
    doc.contents.items.sort((a, b) => rank(a.key) - rank(b.key));
  }
  return { text: doc.toString({ indent: 2, indentSeq: true, lineWidth: 100, singleQuote: true, flowCollectionPadding: false }) };
}

/** Block scalars stay; other strings plain unless YAML 1.1 would read them as something else (`yes`, `2010-09-09`, `0777`). */
function scalarStyle(node: Scalar): Scalar['type'] {
  if (typeof node.value !== 'string') return node.type;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return node.type;
  // The stringifier quotes what YAML 1.2 would misread; CloudFormation's reader is older.
  return readsAsString(node.value) ? 'PLAIN' : 'QUOTE_SINGLE';
}

/** Words YAML 1.1 reads as booleans or null; any other text that starts with a letter and holds no `:`/`#` is a string in both versions. */
const YAML11_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

function readsAsString(value: string): boolean {
  // Most values (names, types, ARNs, Sub strings) are plainly text: reading each as a document is the slow way.
  if (/^[A-Za-z][\w./${}()@+=, -]*$/.test(value) && !/\s$/.test(value)) return !YAML11_WORDS.test(value);
  const doc = parseDocument(value, { version: '1.1', logLevel: 'silent' });
  return doc.errors.length === 0 && doc.warnings.length === 0 && isScalar(doc.contents) && doc.contents.value === value && doc.directives.docStart === null;
}
