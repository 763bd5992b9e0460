import type { Diagnostic } from '../diagnostics.ts';
import { parseJson, type ParsedDocument, type ParseProblem } from './json-parser.ts';
import { MAX_FILE_BYTES, MAX_SYNTAX_PROBLEMS, TEMPLATE_URL_LIMIT_BYTES } from './limits.ts';
import { SourceMap } from './source-map.ts';
import { parseYaml } from './yaml-parser.ts';

/** A template file read into CloudFormation's long JSON form, with a position for every node. */
export interface Template {
  /** The path shown in findings (as given on the command line, joined with the path inside it). */
  file: string;
  format: 'json' | 'yaml';
  /** The template body; undefined when the file could not be read as YAML or JSON. */
  body: Record<string, unknown> | undefined;
  map: SourceMap;
  /** Size of the body in bytes, as CloudFormation counts it against its limits. */
  byteSize: number;
  /** Syntax problems: malformed YAML/JSON, duplicate keys, unknown tags. */
  problems: Diagnostic[];
}

const PROBLEM_RULES: Record<ParseProblem['code'], { rule: string; severity: Diagnostic['severity'] }> = {
  syntax: { rule: 'SP0001', severity: 'error' },
  'duplicate-key': { rule: 'SP0002', severity: 'error' },
  'unknown-tag': { rule: 'SP0003', severity: 'error' },
  'too-large': { rule: 'SP0004', severity: 'error' },
  'too-deep': { rule: 'SP0005', severity: 'error' },
  alias: { rule: 'SP0006', severity: 'error' },
};

const bytes = (n: number) => n.toLocaleString('en-US');

/** Reads YAML or JSON; JSON when the file says so by its name or its first character. */
export function readDocument(text: string, file: string, options = { cloudFormationTags: true }): ParsedDocument & { format: 'json' | 'yaml' } {
  const json = /\.json$/i.test(file) || /^\s*[{[]/.test(text.slice(0, 200)) && !/\.ya?ml$/i.test(file);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_FILE_BYTES) {
    const message = `The file is larger than ${bytes(MAX_FILE_BYTES)} bytes, the most stackpilot reads (a CloudFormation template may be at most ${bytes(TEMPLATE_URL_LIMIT_BYTES)} bytes)`;
    return { value: undefined, map: new SourceMap(''), problems: [{ code: 'too-large', message, start: 0, end: 0 }], format: json ? 'json' : 'yaml' };
  }
  if (json) return { ...parseJson(text), format: 'json' };
  return { ...parseYaml(text, options), format: 'yaml' };
}

/** The document's problems as findings; past MAX_SYNTAX_PROBLEMS, one more says how many are left out. */
export function problemsToDiagnostics(file: string, parsed: ParsedDocument): Diagnostic[] {
  const finding = (p: ParseProblem, message = p.message): Diagnostic => ({ file, ...parsed.map.lines.location(p.start, p.end), ...PROBLEM_RULES[p.code], message });
  const shown = parsed.problems.slice(0, MAX_SYNTAX_PROBLEMS).map((p) => finding(p));
  const left = parsed.problems.length - shown.length;
  if (left > 0) shown.push(finding(parsed.problems[MAX_SYNTAX_PROBLEMS], `${left.toLocaleString('en-US')} more problems from here on are not shown`));
  return shown;
}

export function parseTemplate(text: string, file: string): Template {
  const parsed = readDocument(text, file);
  const body = parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? (parsed.value as Record<string, unknown>) : undefined;
  const problems = problemsToDiagnostics(file, parsed);
  if (parsed.value !== undefined && body === undefined && !problems.some((p) => p.severity === 'error')) {
    const message = parsed.value === null ? 'The template is empty' : 'A template must be a mapping of sections (AWSTemplateFormatVersion, Parameters, Resources, ...)';
    problems.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, rule: 'SP0001', severity: 'error', message });
  }
  return { file, format: parsed.format, body, map: parsed.map, byteSize: Buffer.byteLength(text, 'utf8'), problems };
}

/** Whether a parsed document is a CloudFormation template (its top level has Resources). */
export function looksLikeTemplate(body: unknown): boolean {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && 'Resources' in body;
}

/**
 * Whether a file found in a folder is a template to check: one whose top level has Resources,
 * or a broken file that was meant to be one. Other YAML and JSON (configs, parameter files,
 * Kubernetes manifests) is not ours to judge.
 */
export function isTemplateFile(template: Template, text: string): boolean {
  return looksLikeTemplate(template.body) || (template.body === undefined && /\b(Resources|AWSTemplateFormatVersion)\b/.test(text));
}
