import { isNestedStackType } from '../../../spec/resource-facts.ts';
import { intrinsicCalls, getAttTarget, isObject, subVariables } from '../../../template/intrinsics.ts';
import type { Path } from '../../../template/source-map.ts';
import { type ProjectRule, templateReference } from '../../rule.ts';

/** `!GetAtt Child.Outputs.X` (or `${Child.Outputs.X}`) reads an output the child template declares. */
export const nestedOutputs: ProjectRule = {
  scope: 'project',
  id: 'SP5002',
  title: 'Nested stack output that does not exist',
  severity: 'error',
  docs: templateReference('aws-resource-cloudformation-stack.html#aws-resource-cloudformation-stack-return-values'),
  check({ project, report }) {
    for (const parent of project.templates.values()) {
      if (!parent.body) continue;
      const children = new Map(project.nested.filter((l) => l.parent === parent.absolutePath && l.child).map((l) => [l.logicalId, project.templates.get(l.child!)]));
      if (children.size === 0) continue;
      const checkOutput = (logicalId: string, attribute: string | undefined, path: Path) => {
        const child = children.get(logicalId);
        if (!child?.body || !attribute?.startsWith('Outputs.')) return;
        if (!isNestedStackType(parent.model.resources.get(logicalId)?.type ?? '')) return;
        const output = attribute.slice('Outputs.'.length);
        if (!child.model.outputs.has(output)) {
          const known = [...child.model.outputs.keys()];
          report(parent, path, `${child.file} has no output ${output}${known.length ? ` (it has ${known.join(', ')})` : ' (it has no outputs)'}`);
        }
      };
      for (const section of ['Resources', 'Outputs']) {
        for (const { fn, argument, path } of intrinsicCalls(parent.body, section)) {
          if (fn === 'Fn::GetAtt') {
            const target = getAttTarget(argument);
            if (target) checkOutput(target[0], target[1], [...path, fn]);
          } else if (fn === 'Fn::Sub') {
            const text: unknown = typeof argument === 'string' ? argument : Array.isArray(argument) ? argument[0] : undefined;
            const local = Array.isArray(argument) && isObject(argument[1]) ? argument[1] : {};
            if (typeof text !== 'string') continue;
            for (const variable of subVariables(text)) {
              const dot = variable.indexOf('.');
              if (dot > 0 && !Object.hasOwn(local, variable)) checkOutput(variable.slice(0, dot), variable.slice(dot + 1), [...path, fn]);
            }
          }
        }
      }
    }
  },
};
