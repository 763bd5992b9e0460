import { dictionary } from '../emulator/state-files.ts';
import type { ParsedDocument } from './json-parser.ts';
import { MAX_NESTING_DEPTH } from './limits.ts';
import { childPosition, SourceMap, type PositionNode } from './source-map.ts';
import { plainScalarValue } from './yaml-scalars.ts';
import { HASH, NEWLINE, outside, OUTSIDE_SUBSET, SPACE, YamlTextScanner } from './yaml-text-scanner.ts';

/**
 * A fast reader for the YAML that templates are written in: block mappings and sequences,
 * flow collections, plain, quoted and block scalars, comments and CloudFormation's short-form
 * tags. It gives the values, positions and (no) problems that the `yaml` package path gives
 * (yaml-parser.ts), several times faster; on anything outside the subset it is sure of (anchors,
 * aliases, explicit or duplicate keys, unknown tags, multi-line quoted scalars, odd indentation,
 * anything yaml would report) it gives up, and yaml reads the document instead.
 *
 * Positions follow yaml's ranges exactly, including where a collection ends: after its last
 * value's line, plus the comment lines yaml counts with it (see absorbIndentedComments and endCollection).
 */
export function readCommonYaml(text: string, shortFormFunctions: ReadonlyMap<string, string> | undefined): ParsedDocument | undefined {
  if (CHARACTERS_LEFT_TO_YAML.test(text) || LINES_LEFT_TO_YAML.test(text)) return undefined;
  try {
    return new CommonYamlReader(text, shortFormFunctions).document();
  } catch (error) {
    if (error === OUTSIDE_SUBSET) return undefined;
    throw error;
  }
}

/**
 * Carriage returns, control characters other than tabs (see countTabs), byte order marks and
 * Unicode line breaks, and lines that start a directive or a document marker: yaml has rules of
 * its own for each. (Two expressions: as one, they take several times as long.)
 */
const CHARACTERS_LEFT_TO_YAML = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
const LINES_LEFT_TO_YAML = /^(?:---|\.\.\.|%)/m;

/** Collections nested deeper than this are left to yaml, which reports them (MAX_NESTING_DEPTH). */
const DEPTH_LIMIT = MAX_NESTING_DEPTH - 2;

/** The structural half of the fast reader: block and flow collections, tags, and where yaml ends each node. */
class CommonYamlReader extends YamlTextScanner {
  private readonly map: SourceMap;
  /**
   * The comment lines yaml keeps aside after a collection's last value, which stay with the
   * first enclosing collection indented no deeper than one of them: the deepest one's
   * indentation (-1 for none), and where they end.
   */
  private tailIndent = -1;
  private tailEnd = 0;

  constructor(
    text: string,
    private readonly shortForms: ReadonlyMap<string, string> | undefined,
  ) {
    super(text);
    this.map = new SourceMap(text);
  }

  document(): ParsedDocument {
    this.scanGap(0);
    if (this.nextIndent === -1) outside();
    this.i = this.next;
    const value = this.blockCollection(this.nextIndent, this.map.root, 1);
    if (this.nextIndent !== -1 || this.tabsRead !== this.tabs) outside();
    return { value, map: this.map, problems: [] };
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
      const key = this.mappingKey(false);
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
      if (this.commentsEnd > 0) outside();
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
   * Where a value ending its line at `lineEnd` ends in yaml's terms: after that line and the
   * comment lines right after it indented deeper than its collection. The comment lines past
   * those are kept aside (tailIndent) for the enclosing collections.
   */
  private absorbIndentedComments(lineEnd: number, ownerIndent: number): number {
    const { comments } = this;
    let trail = lineEnd;
    let k = 0;
    while (k < this.commentsEnd && comments[k] > ownerIndent) {
      trail = comments[k + 1];
      k += 2;
    }
    this.keepTail(k);
    return trail;
  }

  private keepTail(from: number): void {
    const { comments } = this;
    this.tailIndent = -1;
    for (let k = from; k < this.commentsEnd; k += 2) this.tailIndent = Math.max(this.tailIndent, comments[k]);
    this.tailEnd = this.next;
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
    return this.plainEnd === 'colon';
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
    this.count();
    const key = this.mappingKey(true);
    this.flowSpace(blockIndent);
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
      if (this.plainEnd === 'colon' || this.plainEnd === 'comment') outside();
      const source = text.slice(at, end);
      value = tagged ? source : plainScalarValue(source);
      this.i = end;
    }
    this.nodeStart = at;
    this.nodeEnd = this.i;
    this.place(position);
    return value;
  }
}

/** `!Fn argument` as CloudFormation's long form `{"Fn::X": argument}` (`!GetAtt a.b` as a list). */
export function shortFormCall(fn: string, argument: unknown): Record<string, unknown> {
  if (fn === 'Fn::GetAtt' && typeof argument === 'string') {
    const dot = argument.indexOf('.');
    argument = dot === -1 ? [argument] : [argument.slice(0, dot), argument.slice(dot + 1)];
  }
  const call = dictionary<unknown>();
  call[fn] = argument;
  return call;
}
