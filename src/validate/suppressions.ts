import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import type { Project } from '../project/project.ts';
import { isObject } from '../template/intrinsics.ts';
import type { Path, SourceMap } from '../template/source-map.ts';

/**
 * Findings a team has accepted, suppressed where they said so:
 * - `Metadata: {stackpilot: {ignore: [SP3101]}}` on a resource: that rule's findings located in the resource;
 * - the same under the template's own `Metadata`: that rule's findings anywhere in the template;
 * - `validate: {ignore: [SP2002, {rule: SP3102, path: templates/legacy}]}` in the manifest: the
 *   rule everywhere, or in one file or folder of the project.
 * An id no rule has suppresses nothing, and says so (SP1003): a typo must not pass for a suppression.
 */

export const IGNORE_RULE = { id: 'SP1003', title: 'Suppression of a rule that does not exist', severity: 'warning' } as const;

/** Where a suppression is written, as SARIF names it: in the template (`inSource`) or in the manifest (`external`). */
export type SuppressionKind = 'inSource' | 'external';

export interface Suppressions {
  /** Whether a finding of `rule` in `file` (at `path` in it, when known) is suppressed, and by what. */
  covers(rule: string, file: string, path?: Path): SuppressionKind | undefined;
  /** Problems of the ignore lists themselves. */
  findings: Diagnostic[];
}

type RuleSet = Set<string>;

export function readSuppressions(project: Project, knownRules: ReadonlySet<string>): Suppressions {
  const findings: Diagnostic[] = [];
  const inTemplate = new Map<string, RuleSet>();
  const inResource = new Map<string, Map<string, RuleSet>>();
  const everywhere: RuleSet = new Set();
  /** Per rule, the files and folders (as findings show them) the manifest suppresses it in. */
  const inFiles = new Map<string, string[]>();

  const warn = (file: string, map: SourceMap, path: Path, message: string) =>
    findings.push({ file, ...map.locate(path), severity: IGNORE_RULE.severity, rule: IGNORE_RULE.id, message });
  const unknown = (id: string) => `${id} is not a rule of stackpilot (see docs/rules.md): it suppresses nothing`;

  /** The rule ids of a `stackpilot: {ignore: [...]}` entry of a Metadata section at `at`. */
  const ignoreList = (metadata: unknown, at: Path, file: string, map: SourceMap): RuleSet => {
    const rules: RuleSet = new Set();
    if (!isObject(metadata) || metadata.stackpilot === undefined) return rules;
    const ignore = isObject(metadata.stackpilot) ? metadata.stackpilot.ignore : undefined;
    if (!Array.isArray(ignore)) {
      warn(file, map, [...at, 'stackpilot'], 'expected stackpilot: {ignore: [rule ids]}, such as ignore: [SP3101]');
      return rules;
    }
    ignore.forEach((id, i) => {
      if (typeof id === 'string' && knownRules.has(id)) rules.add(id);
      else warn(file, map, [...at, 'stackpilot', 'ignore', i], typeof id === 'string' ? unknown(id) : 'expected a rule id, such as SP3101');
    });
    return rules;
  };

  for (const template of project.templates.values()) {
    if (!template.body) continue;
    inTemplate.set(template.file, ignoreList(template.body.Metadata, ['Metadata'], template.file, template.map));
    const resources = new Map<string, RuleSet>();
    for (const resource of template.model.resources.values()) {
      resources.set(resource.logicalId, ignoreList(resource.metadata, ['Resources', resource.logicalId, 'Metadata'], template.file, template.map));
    }
    inResource.set(template.file, resources);
  }

  const manifest = project.manifestSource;
  (project.manifest?.validate?.ignore ?? []).forEach((entry, i) => {
    const rule = typeof entry === 'string' ? entry : entry.rule;
    if (!knownRules.has(rule)) {
      if (manifest) warn(manifest.file, manifest.map, ['validate', 'ignore', i, ...(typeof entry === 'string' ? [] : ['rule'])], unknown(rule));
      return;
    }
    if (typeof entry === 'string') {
      everywhere.add(rule);
      return;
    }
    const places = inFiles.get(rule) ?? [];
    places.push(project.display(join(project.root, entry.path)).replace(/\/+$/, ''));
    inFiles.set(rule, places);
  });

  return {
    findings,
    covers(rule, file, path) {
      if (inTemplate.get(file)?.has(rule)) return 'inSource';
      if (path !== undefined && path[0] === 'Resources' && typeof path[1] === 'string' && inResource.get(file)?.get(path[1])?.has(rule)) return 'inSource';
      if (everywhere.has(rule) || inFiles.get(rule)?.some((shown) => file === shown || file.startsWith(`${shown}/`))) return 'external';
      return undefined;
    },
  };
}
