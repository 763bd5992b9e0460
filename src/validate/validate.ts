import { compareDiagnostics, type Diagnostic } from '../diagnostics.ts';
import { loadProject, type LoadOptions, type Project } from '../project/project.ts';
import { resourceFacts } from '../spec/resource-facts.ts';
import type { Path } from '../template/source-map.ts';
import { todayUtc } from './check-day.ts';
import { finding, type Rule } from './rule.ts';
import { RULES } from './rules/index.ts';
import { rainFollowOn } from './rules/structure/rain-directives.ts';
import { IGNORE_RULE, readSuppressions, type SuppressionKind } from './suppressions.ts';

/** Transforms whose effect is known: they add resources but leave the rest of the template as written. */
const AWS_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions', 'AWS::CodeDeployBlueGreen', 'AWS::SecretsManager-2020-07-23', 'AWS::Include']);

/** Ids of the rules the parser and the project loader report themselves. */
export const BUILT_IN_RULES: { id: string; title: string; severity: Diagnostic['severity'] }[] = [
  { id: 'SP0001', title: 'Malformed YAML or JSON', severity: 'error' },
  { id: 'SP0002', title: 'Duplicate key', severity: 'error' },
  { id: 'SP0003', title: 'Unknown tag', severity: 'error' },
  { id: 'SP0004', title: 'File too large to read', severity: 'error' },
  { id: 'SP0005', title: 'Nesting too deep', severity: 'error' },
  { id: 'SP0006', title: 'YAML aliases past their limits', severity: 'error' },
  { id: 'SP5006', title: 'Nested template not in the project', severity: 'error' },
  { id: 'SP5010', title: 'Manifest (stackpilot.yaml)', severity: 'error' },
  IGNORE_RULE,
];

/** A suppressed finding, with where its suppression is written. */
export type SuppressedDiagnostic = Diagnostic & { suppression: SuppressionKind };

export interface CheckedProject {
  /** The findings that count, sorted by file and position, duplicates removed. */
  diagnostics: Diagnostic[];
  /** The findings the templates or the manifest suppress (see suppressions.ts), sorted alike. */
  suppressed: SuppressedDiagnostic[];
}

export interface ValidationResult extends CheckedProject {
  project: Project;
}

export interface CheckOptions {
  /** The day to check for (YYYY-MM-DD), by default today (UTC): runtimes and services AWS retires by date. */
  today?: string;
}

/** Runs every rule over a loaded project: findings sorted by file and position, duplicates removed, suppressed ones left out. */
export function validateProject(project: Project, rules: Rule[] = RULES, options: CheckOptions = {}): Diagnostic[] {
  return checkProject(project, rules, options).diagnostics;
}

/** Runs every rule over a loaded project, the findings its ignore lists suppress set apart. */
export function checkProject(project: Project, rules: Rule[] = RULES, options: CheckOptions = {}): CheckedProject {
  const facts = resourceFacts();
  const today = options.today ?? todayUtc();
  const suppressions = readSuppressions(project, new Set([...RULES, ...BUILT_IN_RULES].map((r) => r.id)));
  const found: Diagnostic[] = [];
  const suppressed: SuppressedDiagnostic[] = [];
  const keep = (d: Diagnostic, path?: Path) => {
    const suppression = suppressions.covers(d.rule, d.file, path);
    if (suppression) suppressed.push({ ...d, suppression });
    else found.push(d);
  };
  for (const d of project.diagnostics) keep(d);
  for (const d of suppressions.findings) found.push(d);
  for (const template of project.templates.values()) {
    for (const problem of template.problems) keep(problem); // push(...long) would overflow the stack
    if (!template.body) continue;
    const transformed = template.model.transforms.length > 0;
    const macros = template.model.transforms.some((t) => !AWS_TRANSFORMS.has(t));
    const followsRain = rainFollowOn(template.body);
    for (const rule of rules) {
      if (rule.scope !== 'template') continue;
      rule.check({
        template,
        model: template.model,
        facts,
        transformed,
        macros,
        today,
        report: (path, message, options = {}) => {
          if (!followsRain(rule.id, path, message)) keep(finding(rule, template.file, template.map.locate(path, options.at), message, options.severity), path);
        },
      });
    }
  }
  for (const rule of rules) {
    if (rule.scope !== 'project') continue;
    rule.check({
      project,
      facts,
      report: (source, path, message, options = {}) => keep(finding(rule, source.file, source.map.locate(path, options.at), message, options.severity), path),
    });
  }
  return { diagnostics: sortedUnique(found), suppressed: sortedUnique(suppressed) };
}

function sortedUnique<D extends Diagnostic>(diagnostics: D[]): D[] {
  const unique = new Map(diagnostics.map((d) => [`${d.file}:${d.line}:${d.column}:${d.rule}:${d.message}`, d]));
  return [...unique.values()].sort(compareDiagnostics);
}

/** Loads and validates the project at a path (a template, a folder, or a manifest project). */
export function validatePath(path: string, options: LoadOptions & CheckOptions = {}): ValidationResult {
  const project = loadProject(path, options);
  return { project, ...checkProject(project, RULES, options) };
}
