/**
 * Scalar values as the `yaml` package reads them under the YAML 1.2 core schema (the schema
 * src/template/yaml-parser.ts reads with): the fast reader (yaml-common-reader.ts) must give
 * exactly the same values, so each rule below restates one of yaml's own.
 */

const INT_OCTAL = /^0o[0-7]+$/;
const INT_DECIMAL = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXPONENT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain (unquoted, untagged) scalar's value: null, a boolean, a number, or the text itself. */
export function plainScalarValue(source: string): unknown {
  const first = source.charCodeAt(0);
  // Only text starting with a digit, a sign or a dot can be a number: the rest is text, as most of a template is.
  if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46) return numberOrText(source);
  if (source.length > 5) return source;
  switch (source) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  return source;
}

/** A plain scalar starting like a number: an integer (octal, decimal, hex), a float, infinity or NaN, or else text. */
function numberOrText(source: string): unknown {
  if (INT_OCTAL.test(source)) return parseInt(source.substring(2), 8);
  if (INT_DECIMAL.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  if (FLOAT_SPECIAL.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXPONENT.test(source) || FLOAT.test(source)) return parseFloat(source);
  return source;
}

const DOUBLE_QUOTED_ESCAPES = new Map(
  Object.entries({
    '0': '\0',
    a: '\x07',
    b: '\b',
    e: '\x1b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    N: '\u0085',
    _: '\u00a0',
    L: '\u2028',
    P: '\u2029',
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
  }),
);
const HEX_DIGITS = /^[0-9a-fA-F]+$/;

/**
 * The value of a double-quoted scalar written on one line (`body` is the text between the
 * quotes); undefined for an escape yaml would report as invalid.
 */
export function doubleQuotedValue(body: string): string | undefined {
  let value = '';
  let chunk = 0;
  for (let i = body.indexOf('\\'); i !== -1; i = body.indexOf('\\', chunk)) {
    value += body.slice(chunk, i);
    const code = body[i + 1];
    const escaped = DOUBLE_QUOTED_ESCAPES.get(code);
    if (escaped !== undefined) {
      value += escaped;
      chunk = i + 2;
      continue;
    }
    const length = code === 'x' ? 2 : code === 'u' ? 4 : code === 'U' ? 8 : 0;
    const hex = body.slice(i + 2, i + 2 + length);
    if (length === 0 || hex.length !== length || !HEX_DIGITS.test(hex)) return undefined;
    const point = parseInt(hex, 16);
    if (point > 0x10ffff) return undefined;
    value += String.fromCodePoint(point);
    chunk = i + 2 + length;
  }
  return value + body.slice(chunk);
}

/** One line of a block scalar's content: its indentation, and where its text starts and ends. */
export interface BlockScalarLine {
  indent: number;
  start: number;
  end: number;
}

/**
 * The value of a literal (`|`) or folded (`>`) block scalar whose first line holds text, as
 * yaml's resolveBlockScalar folds it. `lines` runs to the last line with text, `trimIndent` is
 * the indentation its lines lose; `strip` is the `-` chomping indicator (without it, one line
 * break ends the value).
 */
export function blockScalarValue(text: string, lines: BlockScalarLine[], trimIndent: number, literal: boolean, strip: boolean): string {
  let value = '';
  let separator = '';
  let previousMoreIndented = false;
  for (const { indent, start, end } of lines) {
    const content = text.slice(start, end);
    const extraIndent = ' '.repeat(Math.max(0, indent - trimIndent));
    if (literal) {
      value += separator + extraIndent + content;
      separator = '\n';
    } else if (indent > trimIndent) {
      // More-indented lines of a folded scalar keep their line breaks.
      if (separator === ' ') separator = '\n';
      else if (!previousMoreIndented && separator === '\n') separator = '\n\n';
      value += separator + extraIndent + content;
      separator = '\n';
      previousMoreIndented = true;
    } else if (content === '') {
      if (separator === '\n') value += '\n';
      else separator = '\n';
    } else {
      value += separator + content;
      separator = ' ';
      previousMoreIndented = false;
    }
  }
  return strip ? value : value + '\n';
}
