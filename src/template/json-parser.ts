import { dictionary } from '../emulator/state-files.ts';
import { MAX_DOCUMENT_VALUES, MAX_NESTING_DEPTH } from './limits.ts';
import { childPosition, SourceMap, type PositionNode } from './source-map.ts';

export interface ParseProblem {
  /** `too-large`, `too-deep` and `alias` are input past stackpilot's limits (src/template/limits.ts). */
  code: 'syntax' | 'duplicate-key' | 'unknown-tag' | 'too-large' | 'too-deep' | 'alias';
  message: string;
  start: number;
  end: number;
}

export interface ParsedDocument {
  /**
   * The document as JSON values, its mappings without a prototype (a key such as `constructor`
   * or `__proto__` is then a key like any other); undefined when it could not be read at all.
   */
  value: unknown;
  map: SourceMap;
  problems: ParseProblem[];
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly code: 'syntax' | 'too-deep' | 'too-large' = 'syntax',
  ) {
    super(message);
  }
}

export const tooDeepMessage = () => `Nested more than ${MAX_NESTING_DEPTH} levels deep`;
export const tooManyValuesMessage = () => `More than ${MAX_DOCUMENT_VALUES.toLocaleString('en-US')} values in one document, the most stackpilot reads`;

const ESCAPES = new Map(Object.entries({ '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }));

/**
 * A strict JSON reader that records where every value and key sits, and reports
 * duplicate keys (which JSON.parse silently collapses) and syntax errors with a position.
 */
export function parseJson(text: string): ParsedDocument {
  const map = new SourceMap(text);
  const problems: ParseProblem[] = [];
  let i = 0;
  let values = 0;

  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else if (c === 0xfeff && i === 0) i++;
      else return;
    }
  };

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };

  const describe = (at: number) => (at >= text.length ? 'end of file' : `'${text[at]}'`);

  const readString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= text.length) fail('Unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid unicode escape', i);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) {
          out += ESCAPES.get(e);
          i += 2;
        } else {
          fail('Invalid escape in string', i);
        }
        chunk = i;
        continue;
      }
      if (c < 32) fail('Control character in string (newlines must be written \\n)', i);
      i++;
    }
  };

  const readNumber = (): number => {
    const start = i;
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = i;
    const m = match.exec(text);
    if (!m || m[0] === '-') fail(`Unexpected ${describe(i)}`, start);
    i += m![0].length;
    return Number(m![0]);
  };

  // Recursion stops at MAX_NESTING_DEPTH, far short of what the stack holds.
  const readValue = (node: PositionNode, depth: number): unknown => {
    skipSpace();
    const start = i;
    const c = text[i];
    let value: unknown;
    if ((c === '{' || c === '[') && depth > MAX_NESTING_DEPTH) throw new JsonSyntaxError(tooDeepMessage(), i, 'too-deep');
    if (++values > MAX_DOCUMENT_VALUES) throw new JsonSyntaxError(tooManyValuesMessage(), i, 'too-large');
    if (c === '{') {
      i++;
      const obj = dictionary<unknown>();
      skipSpace();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          skipSpace();
          if (text[i] !== '"') fail(text[i] === '}' ? 'Trailing comma before }' : `Expected a property name in double quotes, found ${describe(i)}`);
          const keyStart = i;
          if (++values > MAX_DOCUMENT_VALUES) throw new JsonSyntaxError(tooManyValuesMessage(), i, 'too-large');
          const key = readString();
          const keyEnd = i;
          if (Object.hasOwn(obj, key)) {
            problems.push({ code: 'duplicate-key', message: `Duplicate key "${key}"`, start: keyStart, end: keyEnd });
          }
          skipSpace();
          if (text[i] !== ':') fail(`Expected ':' after property name, found ${describe(i)}`);
          i++;
          obj[key] = readValue(childPosition(node, key, [keyStart, keyEnd]), depth + 1);
          skipSpace();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            break;
          }
          fail(`Expected ',' or '}' after a property value, found ${describe(i)}`);
        }
      }
      value = obj;
    } else if (c === '[') {
      i++;
      const list: unknown[] = [];
      skipSpace();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          list.push(readValue(childPosition(node, list.length), depth + 1));
          skipSpace();
          if (text[i] === ',') {
            i++;
            skipSpace();
            if (text[i] === ']') fail('Trailing comma before ]');
            continue;
          }
          if (text[i] === ']') {
            i++;
            break;
          }
          fail(`Expected ',' or ']' after a list item, found ${describe(i)}`);
        }
      }
      value = list;
    } else if (c === '"') {
      value = readString();
    } else if (text.startsWith('true', i)) {
      i += 4;
      value = true;
    } else if (text.startsWith('false', i)) {
      i += 5;
      value = false;
    } else if (text.startsWith('null', i)) {
      i += 4;
      value = null;
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      value = readNumber();
    } else {
      fail(`Unexpected ${describe(i)}`);
    }
    node.start = start;
    node.end = i;
    return value;
  };

  try {
    const value = readValue(map.root, 1);
    skipSpace();
    if (i < text.length) fail(`Unexpected ${describe(i)} after the end of the document`);
    return { value, map, problems };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const message = error.code === 'syntax' ? `Invalid JSON: ${error.message}` : error.message;
    problems.push({ code: error.code, message, start: error.offset, end: error.offset + 1 });
    return { value: undefined, map, problems };
  }
}

