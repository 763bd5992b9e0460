import { Composer, CST, isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, Lexer, Parser, Schema, YAMLMap, YAMLSeq, type Alias, type Document, type Node, type ScalarTag, type Tags } from 'yaml';
import { dictionary } from '../emulator/state-files.ts';
import { tooDeepMessage, tooManyValuesMessage, type ParsedDocument, type ParseProblem } from './json-parser.ts';
import { MAX_ALIAS_EXPANSION, MAX_DOCUMENT_VALUES, MAX_NESTING_DEPTH, MAX_YAML_ALIASES } from './limits.ts';
import { childPosition, SourceMap, type PositionNode } from './source-map.ts';
import { readCommonYaml, shortFormCall } from './yaml-common-reader.ts';

/** CloudFormation's YAML short forms and the long JSON form each becomes. */
export const SHORT_FORM_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!If': 'Fn::If',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Transform': 'Fn::Transform',
  // Functions of the Rules section.
  '!Contains': 'Fn::Contains',
  '!EachMemberEquals': 'Fn::EachMemberEquals',
  '!EachMemberIn': 'Fn::EachMemberIn',
  '!RefAll': 'Fn::RefAll',
  '!ValueOf': 'Fn::ValueOf',
  '!ValueOfAll': 'Fn::ValueOfAll',
  // Rain's directives, read as the JSON form Rain also takes (`{"Rain::Embed": file}`): `rain pkg`
  // replaces them before deploying, and the validator reports each once (SP1004).
  '!Rain::Embed': 'Rain::Embed',
  '!Rain::Include': 'Rain::Include',
  '!Rain::Env': 'Rain::Env',
  '!Rain::S3Http': 'Rain::S3Http',
  '!Rain::S3': 'Rain::S3',
  '!Rain::Module': 'Rain::Module',
  '!Rain::Constant': 'Rain::Constant',
};

export interface YamlOptions {
  /** Read CloudFormation short-form tags (templates); other YAML (the manifest) has none. */
  cloudFormationTags: boolean;
}

// Declaring the short forms as tags the parser knows keeps their nodes (and tag names) as
// they are, and spares a warning object per `!Ref`.
export const KNOWN_TAGS: Tags = Object.keys(SHORT_FORM_TAGS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, nodeClass: YAMLSeq, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, nodeClass: YAMLMap, resolve: (value: unknown) => value },
]);

const SHORT_FORM_FUNCTIONS: ReadonlyMap<string, string> = new Map(Object.entries(SHORT_FORM_TAGS));

const STRING_TAG = 'tag:yaml.org,2002:str';

/**
 * The schema a document is read with, built once: yaml builds one per document otherwise, at a
 * cost that grows with the square of the short-form tags. For a plain scalar yaml tries each
 * tag in turn and, when no core tag claims it (most of a template), ends on a string after
 * passing all the short forms: a string tag that claims whatever is left, placed after the core
 * tags and before the short forms, ends it there with the same string.
 */
function readingSchema(customTags: Tags): Schema {
  return new Schema({
    schema: 'core',
    resolveKnownTags: true,
    customTags: (coreTags) => {
      const string = coreTags.find((tag): tag is ScalarTag => typeof tag === 'object' && tag.tag === STRING_TAG && !tag.collection);
      const rest: Tags = string ? [{ ...string, default: true, test: /(?:)/ }] : [];
      return [...coreTags, ...rest, ...customTags];
    },
  });
}

const TEMPLATE_SCHEMA = readingSchema(KNOWN_TAGS);
const PLAIN_SCHEMA = readingSchema([]);

/** Input past a limit: reading stops, and the document is not read at all. */
class LimitExceeded extends Error {
  constructor(readonly problem: ParseProblem) {
    super(problem.message);
  }
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);
/** What the lexer yields that is not source text. */
const LEXER_MARKERS = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);
/** Lexical tokens that start a value: a scalar, an alias, a flow collection, a block scalar. */
const VALUE_TOKENS = new Set<string | null>(['scalar', 'alias', 'flow-map-start', 'flow-seq-start', 'block-scalar-header']);

/**
 * The syntax tree of a YAML stream, read while counting values: past MAX_DOCUMENT_VALUES it
 * stops, before the tree (a few hundred bytes a value) outgrows the memory it may take.
 */
function syntaxTree(text: string): CST.Token[] | ParseProblem {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let values = 0;
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (VALUE_TOKENS.has(CST.tokenType(lexeme)) && ++values > MAX_DOCUMENT_VALUES) return { code: 'too-large', message: tooManyValuesMessage(), start: offset, end: offset + 1 };
    // The parser recurses as deep as its stack of open nodes when it closes them: tooDeep() below
    // finds the first node past the limit, this only keeps the parser's recursion short of the stack's end.
    if (parser.stack.length > 2 * MAX_NESTING_DEPTH) return { code: 'too-deep', message: tooDeepMessage(), start: offset, end: offset + 1 };
    if (!LEXER_MARKERS.has(lexeme)) offset += lexeme.length;
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}

/**
 * The first collection of the syntax tree nested deeper than MAX_NESTING_DEPTH, found without
 * recursion: yaml composes documents recursively, and deep enough input exhausts its stack.
 */
function tooDeep(tokens: CST.Token[]): ParseProblem | undefined {
  const pending: [CST.Token, number][] = tokens.flatMap((token) => (token.type === 'document' && token.value ? [[token.value, 1] as [CST.Token, number]] : []));
  while (pending.length > 0) {
    const [token, depth] = pending.pop()!;
    if (!COLLECTIONS.has(token.type)) continue;
    if (depth > MAX_NESTING_DEPTH) return { code: 'too-deep', message: tooDeepMessage(), start: token.offset, end: token.offset + 1 };
    for (const item of (token as CST.BlockMap | CST.BlockSequence | CST.FlowCollection).items) {
      if (item.key) pending.push([item.key, depth + 1]);
      if (item.value) pending.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/**
 * The node each alias names (the last node before it with that anchor, as YAML says), found
 * in one pass: yaml's own Alias.resolve walks the whole document for every alias.
 */
function resolveAliases(doc: Document): { targets: Map<Alias, Node | undefined>; tooMany?: Alias } {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  let tooMany: Alias | undefined;
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const item = pending.pop();
    if (isPair(item)) {
      pending.push(item.value, item.key);
      continue;
    }
    if (!isNode(item)) continue;
    if (isAlias(item)) {
      targets.set(item, anchors.get(item.source));
      if (targets.size > MAX_YAML_ALIASES) tooMany ??= item;
      continue;
    }
    if (item.anchor) anchors.set(item.anchor, item);
    if (isCollection(item)) for (let i = item.items.length - 1; i >= 0; i--) pending.push(item.items[i]);
  }
  return { targets, tooMany };
}

/**
 * Reads YAML (1.2 core schema, so `2010-09-09` and `yes` stay strings) into JSON values,
 * turning CloudFormation short tags into the long form and recording positions. Nesting,
 * aliases and what aliases expand to are bounded (src/template/limits.ts).
 */
export function parseYaml(text: string, options: YamlOptions = { cloudFormationTags: true }): ParsedDocument {
  return readCommonYaml(text, options.cloudFormationTags ? SHORT_FORM_FUNCTIONS : undefined) ?? parseYamlFully(text, options);
}

/** Reads any YAML with the yaml package: what parseYaml does with text the fast reader leaves to it. */
export function parseYamlFully(text: string, options: YamlOptions = { cloudFormationTags: true }): ParsedDocument {
  const map = new SourceMap(text);
  const problems: ParseProblem[] = [];
  const tokens = syntaxTree(text);
  if (!Array.isArray(tokens)) return { value: undefined, map, problems: [tokens] };
  const deep = tooDeep(tokens);
  if (deep) return { value: undefined, map, problems: [deep] };

  // Duplicate keys are found below: yaml's own check compares every key with every other.
  const composer = new Composer({ schema: options.cloudFormationTags ? TEMPLATE_SCHEMA : PLAIN_SCHEMA, uniqueKeys: false });
  let doc: Document.Parsed | undefined;
  // yaml makes an Error per syntax problem, and broken input can have one every few bytes: without stack traces they stay small.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const next of composer.compose(tokens, true, text.length)) {
      if (!doc) doc = next;
      else {
        problems.push({ code: 'syntax', message: 'Source contains multiple documents', start: next.range[0], end: next.range[1] });
        break;
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (!doc) return { value: null, map, problems };
  for (const error of doc.errors) problems.push({ code: 'syntax', message: cleanMessage(error.message), start: error.pos[0], end: error.pos[1] });

  const aliases = resolveAliases(doc);
  if (aliases.tooMany) {
    const [start, end] = aliases.tooMany.range ?? [0, 0];
    return { value: undefined, map, problems: [...problems, { code: 'alias', message: `More than ${MAX_YAML_ALIASES.toLocaleString('en-US')} YAML aliases in one document`, start, end }] };
  }

  /** Nodes being converted, outermost first: an alias to one of them would contain itself. */
  const ancestors = new Set<Node>();
  /** The outermost alias being expanded, and how many values aliases have copied so far. */
  let expanding: Alias | undefined;
  let copied = 0;
  const report = (problem: ParseProblem) => {
    if (!expanding) problems.push(problem); // inside an alias, the anchored node has reported it already
  };
  const limit = (code: ParseProblem['code'], message: string, at: Node) => new LimitExceeded({ code, message, start: at.range?.[0] ?? 0, end: at.range?.[1] ?? 0 });

  const convertUntagged = (node: Node, position: PositionNode, depth: number): unknown => {
    if (isMap(node)) {
      const obj = dictionary<unknown>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : keyNode == null ? '' : JSON.stringify(convert(keyNode, { start: 0, end: 0 }, depth + 1));
        const keyRange: [number, number] | undefined = keyNode?.range ? [keyNode.range[0], keyNode.range[1]] : undefined;
        if (Object.hasOwn(obj, key)) report({ code: 'duplicate-key', message: `Duplicate key "${key}"`, start: keyRange?.[0] ?? 0, end: keyRange?.[1] ?? 0 });
        obj[key] = convert(pair.value as Node | null, childPosition(position, key, keyRange), depth + 1);
      }
      return obj;
    }
    if (isSeq(node)) return node.items.map((item, index) => convert(item as Node | null, childPosition(position, index), depth + 1));
    if (isScalar(node)) {
      // A tagged scalar the core schema doesn't resolve keeps its source text.
      if (node.tag && typeof node.value !== 'string' && node.value != null && node.source !== undefined) return node.source;
      return node.value ?? null;
    }
    return null;
  };

  const convertAlias = (alias: Alias, position: PositionNode, depth: number): unknown => {
    if (alias.range) [position.start, position.end] = alias.range;
    const target = aliases.targets.get(alias);
    if (!target) {
      report({ code: 'syntax', message: `Unknown alias *${alias.source}`, start: alias.range?.[0] ?? 0, end: alias.range?.[1] ?? 0 });
      return null;
    }
    if (ancestors.has(target)) throw limit('alias', `The alias *${alias.source} is inside the node it names, so its value would contain itself`, alias);
    if (isCollection(target) && depth > MAX_NESTING_DEPTH) throw limit('too-deep', tooDeepMessage(), alias);
    const outermost = expanding === undefined;
    expanding ??= alias;
    ancestors.add(target);
    try {
      return convertUntagged(target, position, depth);
    } finally {
      ancestors.delete(target);
      if (outermost) expanding = undefined;
    }
  };

  const convert = (node: Node | null | undefined, position: PositionNode, depth: number): unknown => {
    if (node == null) return null;
    if (expanding && ++copied > MAX_ALIAS_EXPANSION) {
      throw limit('alias', `YAML aliases here expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values (an alias bomb?)`, expanding);
    }
    if (isAlias(node)) return convertAlias(node, position, depth);
    if (isCollection(node) && depth > MAX_NESTING_DEPTH) throw limit('too-deep', tooDeepMessage(), node);
    const range = node.range ?? [0, 0, 0];
    const tag = options.cloudFormationTags && node.tag?.startsWith('!') ? node.tag : undefined;
    const fn = tag === undefined || !Object.hasOwn(SHORT_FORM_TAGS, tag) ? undefined : SHORT_FORM_TAGS[tag];
    position.start = range[0];
    position.end = range[1];
    ancestors.add(node);
    try {
      if (tag === undefined || fn === undefined) {
        if (tag !== undefined) {
          const tagStart = Math.max(0, text.lastIndexOf(tag, range[0]));
          report({ code: 'unknown-tag', message: `Unknown tag ${tag}`, start: tagStart, end: tagStart + tag.length });
        }
        return convertUntagged(node, position, depth);
      }
      // `!Fn arg` becomes `{"Fn::X": arg}`: the argument sits one level below the tag.
      const tagStart = Math.max(0, text.lastIndexOf(tag, range[0]));
      position.start = tagStart;
      const inner = childPosition(position, fn, [tagStart, tagStart + tag.length]);
      inner.start = range[0];
      inner.end = range[1];
      if (isCollection(node) && depth + 1 > MAX_NESTING_DEPTH) throw limit('too-deep', tooDeepMessage(), node);
      return shortFormCall(fn, convertUntagged(node, inner, depth + 1));
    } finally {
      ancestors.delete(node);
    }
  };

  try {
    const value = doc.contents == null ? null : convert(doc.contents, map.root, 1);
    return { value, map, problems };
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    return { value: undefined, map, problems: [...problems, error.problem] };
  }
}

function cleanMessage(message: string): string {
  // yaml appends " at line L, column C" (we report positions ourselves) and context lines.
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
