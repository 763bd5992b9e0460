import { dictionary } from '../emulator/state-files.ts';
import type { ParsedDocument } from './json-parser.ts';
import { MAX_DOCUMENT_VALUES, MAX_NESTING_DEPTH } from './limits.ts';
import { childPosition, SourceMap, type PositionNode } from './source-map.ts';
import { blockScalarValue, doubleQuotedValue, plainScalarValue, type BlockScalarLine } from './yaml-scalars.ts';

/**
 * A fast reader for the YAML that templates are written in: block mappings and sequences,
 * flow collections, plain, quoted and block scalars, comments and CloudFormation's short-form
 * tags. It gives the values, positions and (no) problems that the `yaml` package path gives
 * (yaml-parser.ts), several times faster; on anything outside the subset it is sure of (anchors,
 * aliases, explicit or duplicate keys, unknown tags, multi-line quoted scalars, odd indentation,
 * anything yaml would report) it gives up, and yaml reads the document instead.
 *
 * Positions follow yaml's ranges exactly, including where a collection ends: after its last
 * value's line, plus the comment lines yaml counts with it (see endLeaf and popTail).
 */
export function readCommonYaml(text: string, shortFormFunctions: ReadonlyMap<string, string> | undefined): ParsedDocument | undefined {
  if (LEFT_TO_YAML.test(text)) return undefined;
  try {
    return new CommonYamlReader(text, shortFormFunctions).document();
  } catch (error) {
    if (error === OUTSIDE_SUBSET) return undefined;
    throw error;
  }
}

/** Thrown where the text leaves the subset; one instance, so that giving up costs no stack trace. */
const OUTSIDE_SUBSET = new Error('outside the YAML subset read fast');
const outside = (): never => {
  throw OUTSIDE_SUBSET;
};

/**
 * Carriage returns, control characters other than tabs (see countTabs), byte order marks and Unicode line breaks,
 * and lines that start a directive or a document marker: yaml has rules of its own for each.
 */
const LEFT_TO_YAML = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]|^(?:---|\.\.\.|%)/m;

/** Collections nested deeper than this are left to yaml, which reports them (MAX_NESTING_DEPTH). */
const DEPTH_LIMIT = MAX_NESTING_DEPTH - 2;

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;

/** How a plain scalar's text on one line ended. */
const enum PlainEnd {
  Line,
  Comment,
  Colon,
  FlowIndicator,
}

const isFlowIndicator = (c: number) => c === 44 || c === 91 || c === 93 || c === 123 || c === 125; // , [ ] { }
/** Where a plain scalar's text on a line stops: a line break, a comment, a mapping's `:` (or a flow indicator in a flow). */
const PLAIN_STOPS_IN_BLOCK = /\n| #|:(?=[ \n]|$)/g;
const PLAIN_STOPS_IN_FLOW = /[\n,[\]{}]| #|:(?=[ \n,[\]{}]|$)/g;
/** Characters that cannot start a plain scalar, or start one only in ways left to yaml. */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`?'].map((c) => c.charCodeAt(0)));

class CommonYamlReader {
  private readonly map: SourceMap;
  private i = 0;
  private values = 0;
  /** The range of the value read last, as yaml gives it: [start, end, trail]. */
  private nodeStart = 0;
  private nodeEnd = 0;
  private nodeTrail = 0;
  /** After a value: where the next line with content starts, and its indentation (-1 at the end of the text). */
  private next = 0;
  private nextIndent = -1;
  /** The comment lines between the value and `next`: indentation and end of each, in pairs. */
  private readonly comments: number[] = [];
  private blankLines = 0;
  /**
   * The comment lines yaml keeps aside after a collection's last value, which stay with the
   * first enclosing collection indented no deeper than one of them: the deepest one's
   * indentation (-1 for none), and where they end.
   */
  private tailIndent = -1;
  private tailEnd = 0;
  /** How the last plain scalar scanned ended, and where. */
  private plainEnd = PlainEnd.Line;
  private plainStop = 0;
  /** Tabs in the text, and those read inside block scalars' text: any other tab leaves the text to yaml. */
  private readonly tabs: number;
  private tabsRead = 0;

  constructor(
    private readonly text: string,
    private readonly shortForms: ReadonlyMap<string, string> | undefined,
  ) {
    this.map = new SourceMap(text);
    this.tabs = text.includes('\t') ? text.split('\t').length - 1 : 0;
  }

  document(): ParsedDocument {
    this.scanGap(0);
    if (this.nextIndent === -1) outside();
    this.i = this.next;
    const value = this.blockCollection(this.nextIndent, this.map.root, 1);
    if (this.nextIndent !== -1 || this.tabsRead !== this.tabs) outside();
    return { value, map: this.map, problems: [] };
  }

  private count(): void {
    if (++this.values > MAX_DOCUMENT_VALUES) outside();
  }

  private place(position: PositionNode): void {
    position.start = this.nodeStart;
    position.end = this.nodeEnd;
  }

  /** A block mapping or sequence starting at `this.i`, at column `indent`. */
  private blockCollection(indent: number, position: PositionNode, depth: number): unknown {
    if (this.isSequenceItem(this.i)) return this.blockSequence(indent, position, depth);
    if (this.keyAhead(this.i)) return this.blockMapping(indent, position, depth);
    return outside();
  }

  private blockMapping(indent: number, position: PositionNode, depth: number): Record<string, unknown> {
    if (depth > DEPTH_LIMIT) outside();
    const mapping = dictionary<unknown>();
    const start = this.i;
    for (;;) {
      this.count();
      const keyStart = this.i;
      const key = this.readKey();
      if (Object.hasOwn(mapping, key)) outside();
      mapping[key] = this.blockValue(indent, true, childPosition(position, key, [keyStart, this.plainStop]), depth + 1);
      if (this.nextIndent !== indent) break;
      if (this.isSequenceItem(this.next)) outside();
      this.i = this.next;
      this.tailIndent = -1;
    }
    this.endCollection(indent, start);
    this.place(position);
    return mapping;
  }

  private blockSequence(indent: number, position: PositionNode, depth: number): unknown[] {
    if (depth > DEPTH_LIMIT) outside();
    const list: unknown[] = [];
    const start = this.i;
    for (;;) {
      this.count();
      const dash = this.i;
      const item = childPosition(position, list.length);
      const at = this.skipSpaces(dash + 1);
      const c = this.text.charCodeAt(at);
      const compact = at !== dash + 1 && c !== NEWLINE && c !== HASH && at < this.text.length;
      if (compact && this.isSequenceItem(at)) {
        // `- - a` starts a sequence at the inner dash's column.
        this.i = at;
        list.push(this.blockSequence(indent + at - dash, item, depth + 1));
      } else if (compact && this.keyAhead(at)) {
        // `- Key: value` starts a mapping at the key's column.
        this.i = at;
        list.push(this.blockMapping(indent + at - dash, item, depth + 1));
      } else {
        this.i = dash + 1;
        list.push(this.blockValue(indent, false, item, depth + 1));
      }
      if (this.nextIndent !== indent || !this.isSequenceItem(this.next)) break;
      this.i = this.next;
      this.tailIndent = -1;
    }
    this.endCollection(indent, start);
    this.place(position);
    return list;
  }

  /**
   * A collection ends after its last value's trail, unless comment lines after it stay with it
   * (yaml keeps them when one is indented as deep as the collection, except at column 0).
   */
  private endCollection(indent: number, start: number): void {
    if (this.nextIndent > indent) outside();
    this.nodeStart = start;
    this.nodeEnd = this.nodeTrail;
    if (indent > 0 && this.tailIndent >= indent) {
      this.nodeTrail = this.tailEnd;
      this.tailIndent = -1;
    }
  }

  private isSequenceItem(at: number): boolean {
    const { text } = this;
    if (text.charCodeAt(at) !== 45) return false; // -
    const c = text.charCodeAt(at + 1);
    return c === SPACE || c === NEWLINE || at + 1 >= text.length;
  }

  /** A mapping key at `this.i` (plain or quoted, on one line), then its `:`; `plainStop` is left at the key's end. */
  private readKey(): string {
    const { text } = this;
    const start = this.i;
    const c = text.charCodeAt(start);
    let key: string;
    let after: number;
    if (c === 34 || c === 39) {
      key = this.quoted(start);
      after = this.skipSpaces(this.i);
      this.plainStop = this.i;
    } else {
      if (!this.plainStart(start, false)) outside();
      const end = this.scanPlain(start, false);
      if (this.plainEnd !== PlainEnd.Colon) outside();
      key = String(plainScalarValue(text.slice(start, end)));
      after = this.plainStop;
      this.plainStop = end;
    }
    if (!this.colonAt(after, false) || this.plainStop - start > 1000) outside();
    this.i = after + 1;
    return key;
  }

  /** Whether a mapping key starts at `at`: a plain or quoted scalar on this line followed by `: `. */
  private keyAhead(at: number): boolean {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === 34 || c === 39) {
      const end = c === 39 ? this.singleQuoteEnd(at) : this.doubleQuoteEnd(at);
      return end !== -1 && this.colonAt(this.skipSpaces(end + 1), false);
    }
    if (!this.plainStart(at, false)) return false;
    this.scanPlain(at, false);
    return this.plainEnd === PlainEnd.Colon;
  }

  /** Whether a `:` at `at` is a mapping indicator: followed by a space or a line break (or a flow indicator in a flow). */
  private colonAt(at: number, flow: boolean): boolean {
    const { text } = this;
    if (text.charCodeAt(at) !== COLON) return false;
    const c = text.charCodeAt(at + 1);
    return c === SPACE || c === NEWLINE || at + 1 >= text.length || (flow && isFlowIndicator(c));
  }

  /**
   * The value after a block mapping's `:` or a sequence's `-` (at `this.i`), in a collection at
   * column `ownerIndent`; leaves `next` at the following line with content.
   */
  private blockValue(ownerIndent: number, inMapping: boolean, position: PositionNode, depth: number): unknown {
    const { text } = this;
    const at = this.skipSpaces(this.i);
    const c = text.charCodeAt(at);
    if (at >= text.length || c === NEWLINE || c === HASH) return this.valueOnNextLines(this.restOfLine(at), ownerIndent, inMapping, position, depth);
    if (c !== 33) return this.leafValue(at, ownerIndent, undefined, position, depth); // not a `!` tag
    const tagEnd = this.tagEnd(at);
    const fn = this.shortForms?.get(text.slice(at, tagEnd));
    if (fn === undefined) return outside();
    const inner = childPosition(position, fn, [at, tagEnd]);
    let argument: unknown;
    const afterTag = this.skipSpaces(tagEnd);
    const d = text.charCodeAt(afterTag);
    if (afterTag >= text.length || d === NEWLINE) {
      // yaml finds the tag again by searching back from the node: nothing but space may come between.
      if (afterTag >= text.length) outside();
      this.scanGap(afterTag + 1);
      if (this.comments.length > 0) outside();
      if (this.nextIndent > ownerIndent) {
        this.i = this.next;
        argument = this.blockCollection(this.nextIndent, inner, depth + 1);
      } else {
        // `Key: !GetAZs` and nothing more: an empty string, placed after the spaces that follow the tag.
        argument = '';
        this.nodeStart = this.nodeEnd = this.nodeTrail = afterTag;
        this.tailIndent = -1;
        this.place(inner);
      }
    } else {
      if (d === HASH) outside();
      argument = this.leafValue(afterTag, ownerIndent, fn, inner, depth + 1);
    }
    position.start = at;
    position.end = this.nodeEnd;
    return shortFormCall(fn, argument);
  }

  /** The value on the lines after a key (or `-`) with nothing after it. */
  private valueOnNextLines(lineEnd: number, ownerIndent: number, inMapping: boolean, position: PositionNode, depth: number): unknown {
    this.scanGap(lineEnd);
    const indent = this.nextIndent;
    // A sequence may sit at its key's own column (`Key:\n- a`); anything else must be indented deeper.
    if (indent < ownerIndent || (indent === ownerIndent && !(inMapping && this.isSequenceItem(this.next)))) outside();
    this.i = this.next;
    if (this.isSequenceItem(this.next) || this.keyAhead(this.next)) return this.blockCollection(indent, position, depth);
    // A scalar, a flow collection or a tagged value on a line of its own (not a block scalar: its header sets its indentation).
    const c = this.text.charCodeAt(this.next);
    if (c === 124 || c === 62) outside();
    return this.blockValue(ownerIndent, inMapping, position, depth);
  }

  /**
   * A value that starts on the current line at `at` and is not a block collection: a scalar,
   * a block scalar or a flow collection. `tagged` (the function of a short-form tag) keeps scalars as text.
   */
  private leafValue(at: number, ownerIndent: number, tagged: string | undefined, position: PositionNode, depth: number): unknown {
    const { text } = this;
    const c = text.charCodeAt(at);
    let value: unknown;
    let lineEnd: number;
    if (c === 124 || c === 62) {
      // | or >
      value = this.blockScalar(at, ownerIndent);
      this.place(position);
      this.scanGap(this.nodeEnd);
      this.keepTail(0);
      return value;
    }
    if (c === 91 || c === 123) {
      // [ or {
      this.i = at;
      value = this.flowCollection(position, depth, ownerIndent);
      lineEnd = this.restOfLine(this.i);
      this.scanGap(lineEnd);
    } else if (c === 34 || c === 39) {
      value = this.quoted(at);
      this.nodeStart = at;
      this.nodeEnd = this.i;
      this.place(position);
      lineEnd = this.restOfLine(this.i);
      this.scanGap(lineEnd);
    } else {
      if (!this.plainStart(at, false)) outside();
      const source = this.multiLinePlain(at, ownerIndent);
      value = tagged === undefined ? plainScalarValue(source) : source;
      this.place(position);
      lineEnd = this.plainStop;
    }
    this.count();
    this.nodeTrail = this.absorbIndentedComments(lineEnd, ownerIndent);
    return value;
  }

  /**
   * A plain scalar in a block, over as many lines as it runs (folded as yaml folds them); sets
   * the node's start and end, scans the gap after it, and leaves `plainStop` at the end of its last line.
   */
  private multiLinePlain(at: number, ownerIndent: number): string {
    const { text } = this;
    let end = this.scanPlain(at, false);
    if (this.plainEnd === PlainEnd.Colon) outside();
    let source = text.slice(at, end);
    let lineEnd = this.restOfLine(end);
    this.scanGap(lineEnd);
    while (this.plainEnd === PlainEnd.Line && this.comments.length === 0 && this.nextIndent > ownerIndent) {
      const line = this.next;
      if (!this.plainStart(line, false) || text.charCodeAt(line) === 45) outside();
      end = this.scanPlain(line, false);
      if (this.plainEnd !== PlainEnd.Line) outside();
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
   * Where a value ending its line at `lineEnd` ends in yaml's terms: after that line and the
   * comment lines right after it indented deeper than its collection. The comment lines past
   * those are kept aside (tailIndent) for the enclosing collections.
   */
  private absorbIndentedComments(lineEnd: number, ownerIndent: number): number {
    const { comments } = this;
    let trail = lineEnd;
    let k = 0;
    while (k < comments.length && comments[k] > ownerIndent) {
      trail = comments[k + 1];
      k += 2;
    }
    this.keepTail(k);
    return trail;
  }

  private keepTail(from: number): void {
    const { comments } = this;
    this.tailIndent = -1;
    for (let k = from; k < comments.length; k += 2) this.tailIndent = Math.max(this.tailIndent, comments[k]);
    this.tailEnd = this.next;
  }

  /**
   * Blank and comment lines from `lineStart`: records the comments, the count of blank lines
   * and where the next line with content starts (`next`, `nextIndent`).
   */
  private scanGap(lineStart: number): void {
    const { text, comments } = this;
    comments.length = 0;
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
        comments.push(at - line, end === -1 ? text.length : end + 1);
        line = end === -1 ? text.length : end + 1;
      } else {
        this.next = at;
        this.nextIndent = at - line;
        return;
      }
    }
  }

  private skipSpaces(at: number): number {
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** After a value: spaces and a comment to the end of the line; where the next line starts. */
  private restOfLine(at: number): number {
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

  private plainStart(at: number, flow: boolean): boolean {
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
  private scanPlain(at: number, flow: boolean): number {
    const { text } = this;
    // A regular expression finds where the text stops faster than a loop over its characters.
    const stops = flow ? PLAIN_STOPS_IN_FLOW : PLAIN_STOPS_IN_BLOCK;
    stops.lastIndex = at;
    const stop = stops.exec(text);
    const j = stop ? stop.index : text.length;
    const c = text.charCodeAt(j);
    this.plainEnd = !stop || c === NEWLINE ? PlainEnd.Line : c === COLON ? PlainEnd.Colon : c === SPACE ? PlainEnd.Comment : PlainEnd.FlowIndicator;
    this.plainStop = this.plainEnd === PlainEnd.Comment ? j + 1 : j;
    let end = j;
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  private tagEnd(at: number): number {
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
  private quoted(at: number): string {
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
  private singleQuoteEnd(at: number): number {
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

  private doubleQuoteEnd(at: number): number {
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
  private blockScalar(at: number, ownerIndent: number): string {
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
  private countTabs(first: number, stop: number): void {
    if (this.tabs === 0) return;
    if (this.text.charCodeAt(first) === 9) outside();
    for (let t = this.text.indexOf('\t', first); t !== -1 && t < stop; t = this.text.indexOf('\t', t + 1)) this.tabsRead++;
  }

  /** A flow collection at `this.i` (its brackets' range is the node's); `blockIndent` is the column its lines must pass. */
  private flowCollection(position: PositionNode, depth: number, blockIndent: number): unknown {
    if (depth > DEPTH_LIMIT) outside();
    this.count();
    const { text } = this;
    const start = this.i;
    const isMapping = text.charCodeAt(start) === 123;
    const close = isMapping ? 125 : 93;
    const mapping = isMapping ? dictionary<unknown>() : undefined;
    const list: unknown[] = [];
    this.i++;
    this.flowSpace(blockIndent);
    if (text.charCodeAt(this.i) === close) this.i++;
    else {
      for (;;) {
        if (mapping) {
          const keyStart = this.i;
          const key = this.flowKey(blockIndent);
          if (Object.hasOwn(mapping, key)) outside();
          mapping[key] = this.flowNode(childPosition(position, key, [keyStart, this.plainStop]), depth + 1, blockIndent);
        } else if (this.flowPairAhead()) {
          list.push(this.flowPair(childPosition(position, list.length), depth + 1, blockIndent));
        } else {
          list.push(this.flowNode(childPosition(position, list.length), depth + 1, blockIndent));
        }
        this.flowSpace(blockIndent);
        const c = text.charCodeAt(this.i);
        this.i++;
        if (c === close) break;
        if (c !== 44) outside();
        this.flowSpace(blockIndent);
        if (text.charCodeAt(this.i) === close) outside();
      }
    }
    this.nodeStart = start;
    this.nodeEnd = this.i;
    this.place(position);
    return mapping ?? list;
  }

  /** Whether a flow sequence's item at `this.i` is a mapping of one pair (`[a, Key: value]`) with a plain key. */
  private flowPairAhead(): boolean {
    if (!this.plainStart(this.i, true)) return false;
    this.scanPlain(this.i, true);
    return this.plainEnd === PlainEnd.Colon;
  }

  /** A mapping of one pair inside a flow sequence: it runs from its key to its value's end. */
  private flowPair(position: PositionNode, depth: number, blockIndent: number): Record<string, unknown> {
    if (depth > DEPTH_LIMIT) outside();
    this.count();
    const start = this.i;
    const key = this.flowKey(blockIndent);
    const pair = dictionary<unknown>();
    pair[key] = this.flowNode(childPosition(position, key, [start, this.plainStop]), depth + 1, blockIndent);
    position.start = start;
    position.end = this.nodeEnd;
    return pair;
  }

  /** A key of a flow mapping and its `: `; `plainStop` is left at the key's end. */
  private flowKey(blockIndent: number): string {
    const { text } = this;
    const start = this.i;
    this.count();
    const c = text.charCodeAt(start);
    let key: string;
    if (c === 34 || c === 39) {
      key = this.quoted(start);
      this.plainStop = this.i;
    } else {
      if (!this.plainStart(start, true)) outside();
      const end = this.scanPlain(start, true);
      if (this.plainEnd !== PlainEnd.Colon) outside();
      key = String(plainScalarValue(text.slice(start, end)));
      this.i = this.plainStop;
      this.plainStop = end;
    }
    const keyEnd = this.plainStop;
    this.i = this.skipSpaces(this.i);
    if (!this.colonAt(this.i, false)) outside();
    this.i++;
    this.flowSpace(blockIndent);
    this.plainStop = keyEnd;
    return key;
  }

  /** A value inside a flow collection, at `this.i`. */
  private flowNode(position: PositionNode, depth: number, blockIndent: number): unknown {
    const { text } = this;
    const at = this.i;
    const c = text.charCodeAt(at);
    if (c === 91 || c === 123) return this.flowCollection(position, depth, blockIndent);
    if (c === 33) {
      const tagEnd = this.tagEnd(at);
      const fn = this.shortForms?.get(text.slice(at, tagEnd));
      if (fn === undefined || text.charCodeAt(tagEnd) !== SPACE) return outside();
      this.i = this.skipSpaces(tagEnd);
      const d = text.charCodeAt(this.i);
      if (d === NEWLINE || d === HASH || d === 33) outside();
      const inner = childPosition(position, fn, [at, tagEnd]);
      const argument = d === 91 || d === 123 ? this.flowCollection(inner, depth + 1, blockIndent) : this.flowScalar(inner, true);
      position.start = at;
      position.end = this.nodeEnd;
      return shortFormCall(fn, argument);
    }
    return this.flowScalar(position, false);
  }

  private flowScalar(position: PositionNode, tagged: boolean): unknown {
    const { text } = this;
    const at = this.i;
    const c = text.charCodeAt(at);
    this.count();
    let value: unknown;
    if (c === 34 || c === 39) value = this.quoted(at);
    else {
      if (!this.plainStart(at, true)) outside();
      const end = this.scanPlain(at, true);
      if (this.plainEnd === PlainEnd.Colon || this.plainEnd === PlainEnd.Comment) outside();
      const source = text.slice(at, end);
      value = tagged ? source : plainScalarValue(source);
      this.i = end;
    }
    this.nodeStart = at;
    this.nodeEnd = this.i;
    this.place(position);
    return value;
  }

  /** Spaces and line breaks inside a flow collection; its lines must be indented past `blockIndent`, and comments are left to yaml. */
  private flowSpace(blockIndent: number): void {
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
}

/** `!Fn argument` as CloudFormation's long form `{"Fn::X": argument}` (`!GetAtt a.b` as a list). */
function shortFormCall(fn: string, argument: unknown): Record<string, unknown> {
  if (fn === 'Fn::GetAtt' && typeof argument === 'string') {
    const dot = argument.indexOf('.');
    argument = dot === -1 ? [argument] : [argument.slice(0, dot), argument.slice(dot + 1)];
  }
  const call = dictionary<unknown>();
  call[fn] = argument;
  return call;
}
