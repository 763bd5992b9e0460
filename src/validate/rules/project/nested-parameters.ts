import { isObject } from '../../../template/intrinsics.ts';
import { type ProjectRule, templateReference } from '../../rule.ts';

/** A nested stack passes only parameters its template declares, and every one it requires. */
export const nestedParameters: ProjectRule = {
  scope: 'project',
  id: 'SP5001',
  title: 'Nested stack parameters',
  severity: 'error',
  docs: templateReference('aws-resource-cloudformation-stack.html'),
  check({ project, report }) {
    for (const link of project.nested) {
      const parent = project.templates.get(link.parent);
      const child = link.child ? project.templates.get(link.child) : undefined;
      if (!parent || !child?.body) continue;
      const resource = parent.model.resources.get(link.logicalId)!;
      const base = ['Resources', link.logicalId, 'Properties', 'Parameters'];
      const passed = resource.properties.Parameters;
      if (passed !== undefined && !isObject(passed)) continue;
      if (isObject(passed) && Object.keys(passed).length === 1 && Object.keys(passed)[0].startsWith('Fn::')) continue;
      const given = passed ?? {};
      for (const name of Object.keys(given)) {
        if (!child.model.parameters.has(name)) report(parent, [...base, name], `Nested stack ${link.logicalId} passes ${name}, which ${child.file} does not declare`, { at: 'key' });
      }
      const missing = [...child.model.parameters.values()].filter((p) => p.default === undefined && !Object.hasOwn(given, p.name)).map((p) => p.name);
      if (missing.length > 0) {
        const at = passed === undefined ? ['Resources', link.logicalId] : base;
        report(parent, at, `Nested stack ${link.logicalId} does not pass ${missing.join(', ')}, which ${child.file} requires (no Default)`, { at: 'key' });
      }
    }
  },
};
