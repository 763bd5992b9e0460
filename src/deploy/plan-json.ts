import type { Summary } from '../validate/format/summary.ts';
import type { PlanReport } from './plan.ts';

/**
 * The documented JSON interface of `stackpilot plan --format json` (version 1). Fields only
 * ever get added; optional ones are left out when unset, never null. Readers should ignore
 * fields they do not know.
 *
 * {
 *   "version": 1,
 *   "region": "eu-west-1", "regions": ["eu-west-1"],
 *   "validation": {"summary": {files, errors, warnings, infos}, "diagnostics": [{file, line, column, severity, rule, message}]},
 *   "order": [["network"], ["storage", "auth"]],
 *   "artifacts": [{region, bucket, uploaded, unchanged}],   // the only thing a plan writes
 *   "stacks": [{
 *     id, stackName, region?, action: "create"|"update"|"no-changes"|"unknown"|"failed", note?, hint?, notices: [],
 *     "cost"?: {before?, after, change, resources: [{stack, resource, kind, change}]},   // monthly estimate, USD (see src/cost/delta.ts)
 *     "settingChanges"?: [{setting: "terminationProtection", before, after}],   // applied outside the change set
 *     "parameters": [{key, value, secret, from, file?, line?, column?, region?, source}],   // NoEcho values as ****
 *     "changes": [{action, logicalId, nestedPath, resourceType, replacement?, causes, dataAtRisk, willFail?,
 *                  "properties": [{path, before?, after?}]}]   // Modify only; secrets as ****
 *   }],
 *   "interrupted": false
 * }
 */
export function planJson(report: PlanReport, summary: Summary): string {
  const document = {
    version: 1,
    region: report.region,
    regions: report.regions,
    validation: { summary, diagnostics: report.diagnostics.map(({ file, line, column, severity, rule, message }) => ({ file, line, column, severity, rule, message })) },
    order: report.layers,
    artifacts: report.artifacts ?? [],
    stacks: report.stacks.map((s) => ({
      id: s.id,
      stackName: s.stackName,
      ...(s.region ? { region: s.region } : {}),
      action: s.action,
      ...(s.note ? { note: s.note } : {}),
      ...(s.hint ? { hint: s.hint } : {}),
      notices: s.notices ?? [],
      ...(s.cost ? { cost: s.cost } : {}),
      ...(s.settingChanges ? { settingChanges: s.settingChanges } : {}),
      parameters: (s.parameters ?? []).map(({ key, value, secret, from, file, line, column, region, source }) => ({ key, value, secret, from, file, line, column, region, source })),
      changes: s.changes.map((c) => ({
        action: c.action,
        logicalId: c.logicalId,
        nestedPath: c.nestedPath,
        resourceType: c.resourceType,
        ...(c.replacement ? { replacement: c.replacement } : {}),
        causes: c.causes,
        dataAtRisk: c.dataAtRisk,
        ...(c.willFail ? { willFail: c.willFail } : {}),
        ...(c.properties ? { properties: c.properties.map(({ path, before, after }) => ({ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) })) } : {}),
      })),
    })),
    interrupted: report.interrupted ?? false,
  };
  return JSON.stringify(document, null, 2);
}
