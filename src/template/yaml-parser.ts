import { isAlias, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Node, type Tags } from 'yaml';
import type { ParsedDocument, ParseProblem } from './json-parser.ts';
import { childPosition, SourceMap, type PositionNode } from './source-map.ts';

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
};

export interface YamlOptions {
  /** Read CloudFormation short-form tags (templates); other YAML (the manifest) has none. */
  cloudFormationTags: boolean;
}

// Declaring the short forms as tags the parser knows keeps their nodes (and tag names) as
// they are, and spares a warning object per `!Ref`.
const KNOWN_TAGS: Tags = Object.keys(SHORT_FORM_TAGS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, nodeClass: YAMLSeq, resolve: (value: unknown) => value },
  { tag, collection: 'map' as const, nodeClass: YAMLMap, resolve: (value: unknown) => value },
]);

/**
 * Reads YAML (1.2 core schema, so `2010-09-09` and `yes` stay strings) into plain JSON
 * values, turning CloudFormation short tags into the long form and recording positions.
 */
export function parseYaml(text: string, options: YamlOptions = { cloudFormationTags: true }): ParsedDocument {
  const map = new SourceMap(text);
  const problems: ParseProblem[] = [];
  const doc = parseDocument(text, { schema: 'core', prettyErrors: false, uniqueKeys: true, customTags: options.cloudFormationTags ? KNOWN_TAGS : [] });

  // Duplicate keys by the offset of the repeated key: yaml says only "Map keys must be unique",
  // so the conversion below names the key (as the JSON reader does).
  const duplicates = new Map<number, ParseProblem>();
  for (const error of doc.errors) {
    const problem: ParseProblem = {
      code: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax',
      message: cleanMessage(error.message),
      start: error.pos[0],
      end: error.pos[1],
    };
    if (problem.code === 'duplicate-key') duplicates.set(problem.start, problem);
    problems.push(problem);
  }

  const convertUntagged = (node: Node, position: PositionNode): unknown => {
    if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : keyNode == null ? '' : String(keyNode.toJSON());
        const duplicate = keyNode?.range ? duplicates.get(keyNode.range[0]) : undefined;
        if (duplicate && keyNode?.range) {
          duplicate.message = `Duplicate key "${key}"`;
          duplicate.end = keyNode.range[1];
        }
        obj[key] = convert(pair.value as Node | null, childPosition(position, key, keyNode?.range ? [keyNode.range[0], keyNode.range[1]] : undefined));
      }
      return obj;
    }
    if (isSeq(node)) return node.items.map((item, index) => convert(item as Node | null, childPosition(position, index)));
    if (isScalar(node)) {
      // A tagged scalar the core schema doesn't resolve keeps its source text.
      if (node.tag && typeof node.value !== 'string' && node.value != null && node.source !== undefined) return node.source;
      return node.value ?? null;
    }
    return null;
  };

  const convert = (node: Node | null | undefined, position: PositionNode): unknown => {
    if (node == null) return null;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (node.range) [position.start, position.end] = node.range;
      if (!target) problems.push({ code: 'syntax', message: `Unknown alias *${node.source}`, start: node.range?.[0] ?? 0, end: node.range?.[1] ?? 0 });
      return target ? convertUntagged(target, position) : null;
    }
    const range = node.range ?? [0, 0, 0];
    const tag = options.cloudFormationTags && node.tag?.startsWith('!') ? node.tag : undefined;
    const fn = tag === undefined ? undefined : SHORT_FORM_TAGS[tag];
    position.start = range[0];
    position.end = range[1];
    if (tag === undefined || fn === undefined) {
      if (tag !== undefined) {
        const tagStart = Math.max(0, text.lastIndexOf(tag, range[0]));
        problems.push({ code: 'unknown-tag', message: `Unknown tag ${tag}`, start: tagStart, end: tagStart + tag.length });
      }
      return convertUntagged(node, position);
    }
    // `!Fn arg` becomes `{"Fn::X": arg}`: the argument sits one level below the tag.
    const tagStart = Math.max(0, text.lastIndexOf(tag, range[0]));
    position.start = tagStart;
    const inner = childPosition(position, fn, [tagStart, tagStart + tag.length]);
    inner.start = range[0];
    inner.end = range[1];
    let argument = convertUntagged(node, inner);
    if (fn === 'Fn::GetAtt' && typeof argument === 'string') {
      const dot = argument.indexOf('.');
      argument = dot === -1 ? [argument] : [argument.slice(0, dot), argument.slice(dot + 1)];
    }
    return { [fn]: argument };
  };

  const value = doc.contents == null ? null : convert(doc.contents, map.root);
  return { value, map, problems };
}

function cleanMessage(message: string): string {
  // yaml appends " at line L, column C" (we report positions ourselves) and context lines.
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
