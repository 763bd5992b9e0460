import * as z from 'zod';
import type { Diagnostic } from '../diagnostics.ts';
import { buildUsageSchema } from '../cost/usage.ts';
import { dictionary } from '../emulator/state-files.ts';
import { isObject } from '../template/intrinsics.ts';
import type { SourceMap } from '../template/source-map.ts';
import { problemsToDiagnostics, readDocument } from '../template/parse.ts';

/** `stackpilot.yaml`: see docs/manifest.md for the format and its precedence rules. */
export const MANIFEST_FILE = 'stackpilot.yaml';

/** A record keyed by names from the file, read into a prototype-free object (see dictionary()). */
const record = <K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V) => z.record(key, value).transform((entries) => dictionary<z.output<V>>(entries));

/**
 * The manifest's schemas, built on first use: building zod schemas costs milliseconds at start-up,
 * which checking a lone template (no manifest) never needs.
 */
function buildSchemas() {
  const usage = buildUsageSchema();
  const scalar = z.union([z.string(), z.number(), z.boolean()]);
  const parameterValue = z.union([scalar, z.array(scalar)]);
  const parameters = record(z.string(), parameterValue);
  const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'use letters, digits, - and _');
  const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/, 'expected an AWS region such as us-east-1');

  const stackSchema = z
    .object({
      template: z.string().min(1),
      name: z.string().min(1).optional(),
      dependsOn: z.array(id).optional(),
      parameters: parameters.optional(),
      parameterFiles: z.array(z.string()).optional(),
      capabilities: z.array(z.enum(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'])).optional(),
      tags: record(z.string(), z.string()).optional(),
      region: region.optional(),
      /** Deny replacing or removing the stack's stateful resources (a stack policy). */
      protect: z.boolean().optional(),
    })
    .strict();

  const environmentSchema = z
    .object({
      region: region.optional(),
      regions: z.array(region).optional(),
      /** parallel (the default): every region at once; sequential: each once the one before it succeeded. */
      regionOrder: z.enum(['parallel', 'sequential']).optional(),
      parameters: parameters.optional(),
      parameterFiles: z.array(z.string()).optional(),
      stacks: record(id, z.object({ parameters: parameters.optional(), parameterFiles: z.array(z.string()).optional() }).strict()).optional(),
      tags: record(z.string(), z.string()).optional(),
      /** Usage figures for cost estimates, over the top-level ones. */
      usage: usage.optional(),
    })
    .strict();

  const regionOverrideSchema = z.object({ parameters: parameters.optional() }).strict();

  const healthCheckSchema = z.union([
    z.object({ output: z.string().regex(/^[^.]+\.[^.]+$/, 'expected STACK.OUTPUT') }).strict(),
    z.object({ url: z.string().min(1), expectStatus: z.number().int().optional() }).strict(),
  ]);

  const manifest = z
    .object({
      project: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and -'),
      region: region.optional(),
      templates: z.string().optional(),
      stacks: record(id, stackSchema).refine((s) => Object.keys(s).length > 0, 'declare at least one stack'),
      environments: record(id, environmentSchema).refine((e) => Object.keys(e).length > 0, 'declare at least one environment'),
      // Region names are checked by readRegionOverrides, which points at the name (the union here would only say "Invalid input").
      regions: z.union([z.string(), record(z.string(), regionOverrideSchema)]).optional(),
      tags: record(z.string(), z.string()).optional(),
      healthChecks: z.array(healthCheckSchema).optional(),
      /** `protect` for every stack that does not say otherwise. */
      protect: z.boolean().optional(),
      /** Findings the team accepts: a rule everywhere, or in one file or folder (see docs/rules.md, "Suppressing a finding"). */
      validate: z.object({ ignore: z.array(z.union([z.string(), z.object({ rule: z.string(), path: z.string().min(1) }).strict()])).optional() }).strict().optional(),
      /** What templates cannot say about a month of use, for `stackpilot cost` (see docs/manifest.md). */
      usage: usage.optional(),
    })
    .strict();

  return { manifest, stack: stackSchema, environment: environmentSchema, parameterValue };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;

export type Manifest = z.infer<Schemas['manifest']>;
export type ManifestStack = z.infer<Schemas['stack']>;
export type ManifestEnvironment = z.infer<Schemas['environment']>;
export type ParameterValueInput = z.infer<Schemas['parameterValue']>;

/** The environment the manifest declares under that name (its own keys only: `constructor` names none). */
export function manifestEnvironment(manifest: Manifest | undefined, env: string | undefined): ManifestEnvironment | undefined {
  return manifest && env !== undefined && Object.hasOwn(manifest.environments, env) ? manifest.environments[env] : undefined;
}

export interface ManifestRead {
  manifest?: Manifest;
  map: SourceMap;
  diagnostics: Diagnostic[];
}

/** Reads and checks the manifest; every problem becomes a finding at its place in the file. */
export function parseManifest(text: string, file: string): ManifestRead {
  const parsed = readDocument(text, file, { cloudFormationTags: false });
  const diagnostics = problemsToDiagnostics(file, parsed);
  if (parsed.value === undefined || diagnostics.some((d) => d.severity === 'error')) return { map: parsed.map, diagnostics };
  // zod leaves a key named __proto__ out of what it returns: said here, rather than dropped unseen.
  for (const path of protoKeys(parsed.value)) {
    diagnostics.push({ file, ...parsed.map.locate(path, 'key'), severity: 'error', rule: 'SP5010', message: `${path.join('.')}: the name __proto__ cannot be used here` });
  }
  if (diagnostics.length > 0) return { map: parsed.map, diagnostics };
  // reportInput: a value of the wrong type is told apart from a missing one.
  const result = (schemas ??= buildSchemas()).manifest.safeParse(parsed.value ?? {}, { reportInput: true });
  if (result.success) return { manifest: result.data, map: parsed.map, diagnostics };
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const where = unknownKeys.length > 0 ? parsed.map.locate([...path, unknownKeys[0]], 'key') : parsed.map.locate(path, 'value');
    const at = path.length > 0 ? `${path.join('.')}: ` : '';
    const message = unknownKeys.length > 0 ? `${at}unknown field${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.join(', ')} (see docs/manifest.md)` : `${at}${describeIssue(issue)}`;
    diagnostics.push({ file, ...where, severity: 'error', rule: 'SP5010', message });
  }
  return { map: parsed.map, diagnostics };
}

/** Paths of the keys named `__proto__` in a document, found without recursion. */
function protoKeys(value: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const pending: [unknown, (string | number)[]][] = [[value, []]];
  while (pending.length > 0) {
    const [node, path] = pending.pop()!;
    if (Array.isArray(node)) node.forEach((item, i) => pending.push([item, [...path, i]]));
    else if (isObject(node)) {
      for (const [key, item] of Object.entries(node)) {
        if (key === '__proto__') found.push([...path, key]);
        pending.push([item, [...path, key]]);
      }
    }
  }
  return found;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}${issue.input === undefined ? ' (required)' : ''}`;
  return issue.message;
}
