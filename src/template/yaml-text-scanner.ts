import type { PositionNode } from './source-map.ts';
import { MAX_DOCUMENT_VALUES } from './limits.ts';
import { blockScalarValue, doubleQuotedValue, plainScalarValue, type BlockScalarLine } from './yaml-scalars.ts';

/** Thrown where the text leaves the subset the fast reader takes; one instance, so that giving up costs no stack trace. */
export const OUTSIDE_SUBSET = new Error('outside the YAML subset read fast');
export const outside = (): never => {
  throw OUTSIDE_SUBSET;
};

export const SPACE = 32;
export const NEWLINE = 10;
export const HASH = 35;
export const COLON = 58;

/** How a plain scalar's text on one line ended. */
export type PlainEnd = 'line' | 'comment' | 'colon' | 'flow-indicator';

export const isFlowIndicator = (c: number) => c === 44 || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }
/** Where a plain scalar's text on a line stops: a line break, a comment, a mapping's `:` (or a flow indicator in a flow). */
const PLAIN_STOPS_IN_BLOCK = /\n| #|:(?=[ \n]|$)/g;
const PLAIN_STOPS_IN_FLOW = /[\n,[\]{}]| #|:(?=[ \n,[\]{}]|$)/g;
/** Characters that cannot start a plain scalar, or start one only in ways left to yaml. */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`?'].map((c) => c.charCodeAt(0)));

/**
 * The lexical half of the fast YAML reader (yaml-common-reader.ts): scalars, comments, blank
 * lines and indentation, read at a cursor over the text, each as yaml's lexer reads it.
 */
export class YamlTextScanner {
  protected i = 0;
  private values = 0;
  /** The range of the value read last, as yaml gives it: [start, end, trail]. */
  protected nodeStart = 0;
  protected nodeEnd = 0;
  protected nodeTrail = 0;
  /** After a value: where the next line with content starts, and its indentation (-1 at the end of the text). */
  protected next = 0;
  protected nextIndent = -1;
  /** The comment lines between the value and `next`: indentation and end of each, in pairs, up to `commentsEnd` (the array is reused). */
  protected readonly comments: number[] = [];
  protected commentsEnd = 0;
  protected blankLines = 0;
  /** How the last plain scalar scanned ended, and where. */
  protected plainEnd: PlainEnd = 'line';
  protected plainStop = 0;
  /** Tabs in the text, and those read inside block scalars' text: any other tab leaves the text to yaml. */
  protected readonly tabs: number;
  protected tabsRead = 0;

  constructor(protected readonly text: string) {
    this.tabs = text.includes('\t') ? text.split('\t').length - 1 : 0;
  }

  protected count(): void {
    if (++this.values > MAX_DOCUMENT_VALUES) outside();
  }

  protected place(position: PositionNode): void {
    position.start = this.nodeStart;
    position.end = this.nodeEnd;
  }

  protected isSequenceItem(at: number): boolean {
    const { text } = this;
    if (text.charCodeAt(at) !== 45) return false; // -
    const c = text.charCodeAt(at + 1);
    return c === SPACE || c === NEWLINE || at + 1 >= text.length;
  }

  /** Whether a `:` at `at` is a mapping indicator: followed by a space or a line break (or a flow indicator in a flow). */
  protected colonAt(at: number, flow: boolean): boolean {
    const { text } = this;
    if (text.charCodeAt(at) !== COLON) return false;
    const c = text.charCodeAt(at + 1);
    return c === SPACE || c === NEWLINE || at + 1 >= text.length || (flow && isFlowIndicator(c));
  }

  /**
   * Blank and comment lines from `lineStart`: records the comments, the count of blank lines
   * and where the next line with content starts (`next`, `nextIndent`).
   */
  protected scanGap(lineStart: number): void {
    const { text, comments } = this;
    this.commentsEnd = 0;
    this.blankLines = 0;
    let line = lineStart;
    for (;;) {
      const at = this.skipSpaces(line);
      if (at >= text.length) {
        this.next = text.length;
        this.nextIndent = -1;
        return;
      }
      const c = text.charCodeAt(at);
      if (c === NEWLINE) {
        this.blankLines++;
        line = at + 1;
      } else if (c === HASH) {
        const end = text.indexOf('\n', at);
        comments[this.commentsEnd++] = at - line;
        comments[this.commentsEnd++] = end === -1 ? text.length : end + 1;
        line = end === -1 ? text.length : end + 1;
      } else {
        this.next = at;
        this.nextIndent = at - line;
        return;
      }
    }
  }

  protected skipSpaces(at: number): number {
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** After a value: spaces and a comment to the end of the line; where the next line starts. */
  protected restOfLine(at: number): number {
    const { text } = this;
    const from = at;
    at = this.skipSpaces(at);
    if (at >= text.length) return text.length;
    const c = text.charCodeAt(at);
    if (c === NEWLINE) return at + 1;
    // A comment needs a space before it (a value's own `#` was read with the value).
    if (c !== HASH || (at === from && text.charCodeAt(at - 1) !== SPACE)) outside();
    const end = text.indexOf('\n', at);
    return end === -1 ? text.length : end + 1;
  }

  protected plainStart(at: number, flow: boolean): boolean {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (NOT_PLAIN_START.has(c) || c === SPACE || c === NEWLINE || at >= text.length) return false;
    if (c !== 45 && c !== COLON) return true;
    // `-` and `:` start a plain scalar when text follows them (`-1`, `:lambda:path`).
    const d = text.charCodeAt(at + 1);
    return !(d === SPACE || d === NEWLINE || at + 1 >= text.length || (flow && isFlowIndicator(d)));
  }

  /**
   * Scans a plain scalar's text on one line from `at`: returns where its text ends (trailing
   * spaces left out) and sets how it ended (`plainEnd`) and where the scan stopped (`plainStop`).
   */
  protected scanPlain(at: number, flow: boolean): number {
    const { text } = this;
    // A regular expression finds where the text stops faster than a loop over its characters.
    const stops = flow ? PLAIN_STOPS_IN_FLOW : PLAIN_STOPS_IN_BLOCK;
    stops.lastIndex = at;
    const stop = stops.exec(text);
    const j = stop ? stop.index : text.length;
    const c = text.charCodeAt(j);
    this.plainEnd = !stop || c === NEWLINE ? 'line' : c === COLON ? 'colon' : c === SPACE ? 'comment' : 'flow-indicator';
    this.plainStop = this.plainEnd === 'comment' ? j + 1 : j;
    let end = j;
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  protected tagEnd(at: number): number {
    const { text } = this;
    let j = at + 1;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === SPACE || c === NEWLINE) return j;
      if (isFlowIndicator(c)) outside();
    }
    return j;
  }

  /** A quoted scalar on one line at `at`; leaves `this.i` after its closing quote. */
  protected quoted(at: number): string {
    const { text } = this;
    if (text.charCodeAt(at) === 39) {
      const end = this.singleQuoteEnd(at);
      if (end === -1) outside();
      this.i = end + 1;
      const body = text.slice(at + 1, end);
      return body.includes("''") ? body.replaceAll("''", "'") : body;
    }
    const end = this.doubleQuoteEnd(at);
    if (end === -1) outside();
    this.i = end + 1;
    const body = text.slice(at + 1, end);
    return body.includes('\\') ? (doubleQuotedValue(body) ?? outside()) : body;
  }

  /** The closing quote of a single-quoted scalar at `at`, or -1 when it is not on the same line. */
  protected singleQuoteEnd(at: number): number {
    const { text } = this;
    for (let j = at + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === NEWLINE) return -1;
      if (c === 39) {
        if (text.charCodeAt(j + 1) !== 39) return j;
        j++;
      }
    }
    return -1;
  }

  protected doubleQuoteEnd(at: number): number {
    const { text } = this;
    for (let j = at + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === NEWLINE) return -1;
      if (c === 34) return j;
      if (c === 92) j++;
    }
    return -1;
  }

  /**
   * A literal or folded block scalar whose header is at `at`, in a collection at column
   * `ownerIndent`. Keep chomping (`+`), leading blank lines and trailing lines of spaces are
   * left to yaml.
   */
  protected blockScalar(at: number, ownerIndent: number): string {
    const { text } = this;
    const literal = text.charCodeAt(at) === 124;
    let strip = false;
    let explicitIndent = 0;
    let j = at + 1;
    for (; ; j++) {
      const c = text.charCodeAt(j);
      if (c === 45 && !strip) strip = true;
      else if (c >= 49 && c <= 57 && explicitIndent === 0) explicitIndent = c - 48;
      else break;
    }
    if (text.charCodeAt(j) !== SPACE && text.charCodeAt(j) !== NEWLINE) outside();
    const contentStart = this.restOfLine(j);
    const lines: BlockScalarLine[] = [];
    // With an indentation indicator, the text is indented that much past the collection.
    let contentIndent = explicitIndent === 0 ? -1 : ownerIndent + explicitIndent;
    let end = contentStart;
    let blankFrom = 0;
    let line = contentStart;
    while (line < text.length) {
      const first = this.skipSpaces(line);
      const indent = first - line;
      const lineEnd = text.indexOf('\n', first);
      const stop = lineEnd === -1 ? text.length : lineEnd;
      if (first === stop) {
        // A line of spaces only: content if more text follows, left to yaml if it trails deeper than the text.
        if (lines.length === 0) outside();
        lines.push({ indent, start: first, end: first });
      } else {
        if (contentIndent === -1) contentIndent = indent;
        if (indent < contentIndent || (lines.length === 0 && indent <= ownerIndent)) break;
        this.countTabs(first, stop);
        lines.push({ indent, start: first, end: stop });
        end = lineEnd === -1 ? text.length : lineEnd + 1;
        blankFrom = lines.length;
      }
      line = lineEnd === -1 ? text.length : lineEnd + 1;
    }
    if (blankFrom === 0) outside();
    for (let k = blankFrom; k < lines.length; k++) if (lines[k].indent > contentIndent) outside();
    lines.length = blankFrom;
    this.count();
    this.nodeStart = at;
    this.nodeEnd = end;
    this.nodeTrail = end;
    return blockScalarValue(text, lines, contentIndent, literal, strip);
  }

  /**
   * Counts the tabs in a block scalar's line of text: the only place the reader takes them,
   * and not first on a line (where folding treats them apart).
   */
  protected countTabs(first: number, stop: number): void {
    if (this.tabs === 0) return;
    if (this.text.charCodeAt(first) === 9) outside();
    for (let t = this.text.indexOf('\t', first); t !== -1 && t < stop; t = this.text.indexOf('\t', t + 1)) this.tabsRead++;
  }

  /** Spaces and line breaks inside a flow collection; its lines must be indented past `blockIndent`, and comments are left to yaml. */
  protected flowSpace(blockIndent: number): void {
    const { text } = this;
    for (;;) {
      const c = text.charCodeAt(this.i);
      if (c === SPACE) this.i++;
      else if (c === NEWLINE) {
        const line = this.i + 1;
        const at = this.skipSpaces(line);
        if (at >= text.length) outside();
        if (text.charCodeAt(at) !== NEWLINE && at - line <= blockIndent) outside();
        this.i = at;
      } else if (c === HASH || this.i >= text.length) outside();
      else return;
    }
  }

  /** Whether a mapping key starts at `at`: a plain or quoted scalar on this line followed by `: `. */
  protected keyAhead(at: number): boolean {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 34 || c === 39) {
      const end = c === 39 ? this.singleQuoteEnd(at) : this.doubleQuoteEnd(at);
      return end !== -1 && this.colonAt(this.skipSpaces(end + 1), false);
    }
    if (!this.plainStart(at, false)) return false;
    this.scanPlain(at, false);
    return this.plainEnd === 'colon';
  }

  /**
   * A plain scalar in a block, over as many lines as it runs (folded as yaml folds them); sets
   * the node's start and end, scans the gap after it, and leaves `plainStop` at the end of its last line.
   */
  protected multiLinePlain(at: number, ownerIndent: number): string {
    const { text } = this;
    let end = this.scanPlain(at, false);
    if (this.plainEnd === 'colon') outside();
    let source = text.slice(at, end);
    let lineEnd = this.restOfLine(end);
    this.scanGap(lineEnd);
    while (this.plainEnd === 'line' && this.commentsEnd === 0 && this.nextIndent > ownerIndent) {
      const line = this.next;
      if (!this.plainStart(line, false) || text.charCodeAt(line) === 45) outside();
      end = this.scanPlain(line, false);
      if (this.plainEnd !== 'line') outside();
      source += (this.blankLines === 0 ? ' ' : '\n'.repeat(this.blankLines)) + text.slice(line, end);
      lineEnd = this.restOfLine(end);
      this.scanGap(lineEnd);
    }
    this.nodeStart = at;
    this.nodeEnd = end;
    this.plainStop = lineEnd;
    return source;
  }

  /**
   * A mapping key at `this.i` (plain or quoted, on one line) and the `:` after it, which
   * `this.i` is left past; `plainStop` is left at the key's end.
   */
  protected mappingKey(flow: boolean): string {
    const { text } = this;
    const start = this.i;
    const c = text.charCodeAt(start);
    let key: string;
    if (c === 34 || c === 39) {
      key = this.quoted(start);
      this.plainStop = this.i;
    } else {
      if (!this.plainStart(start, flow)) outside();
      const end = this.scanPlain(start, flow);
      if (this.plainEnd !== 'colon') outside();
      // A plain key is read as a value, then written as text (`1e3:` is the key "1000").
      key = String(plainScalarValue(text.slice(start, end)));
      this.i = this.plainStop;
      this.plainStop = end;
    }
    this.i = this.skipSpaces(this.i);
    if (!this.colonAt(this.i, false) || this.plainStop - start > 1000) outside();
    this.i++;
    return key;
  }
}
