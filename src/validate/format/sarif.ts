import type { Diagnostic } from '../../diagnostics.ts';
import type { RuleInfo } from '../rule.ts';
import type { SuppressedDiagnostic } from '../validate.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * SARIF 2.1.0 for code-scanning UIs: one run, the rules that fired, one result per finding;
 * suppressed findings carry `suppressions` (inSource: the template's ignore list; external: the manifest's).
 */
export function formatSarif(active: Diagnostic[], rules: (Pick<RuleInfo, 'id' | 'title' | 'severity'> & { docs?: string })[], version: string, suppressed: SuppressedDiagnostic[] = []): string {
  const diagnostics: (Diagnostic & Partial<Pick<SuppressedDiagnostic, 'suppression'>>)[] = [...active, ...suppressed];
  const fired = new Set(diagnostics.map((d) => d.rule));
  const used = rules.filter((r) => fired.has(r.id));
  const index = new Map(used.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'stackpilot',
            version,
            rules: used.map((r) => ({
              id: r.id,
              name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
              shortDescription: { text: r.title },
              ...(r.docs ? { helpUri: r.docs } : {}),
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.rule,
          ...(index.has(d.rule) ? { ruleIndex: index.get(d.rule) } : {}),
          level: LEVEL[d.severity],
          message: { text: d.message },
          ...(d.suppression ? { suppressions: [{ kind: d.suppression }] } : {}),
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(d.file.replace(/^\.\//, '')) },
                region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: Math.max(d.endColumn, d.column + (d.endLine === d.line ? 1 : 0)) },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
