import { intrinsicCalls, isObject } from '../../../template/intrinsics.ts';
import type { Path } from '../../../template/source-map.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

/** Conditions named by `Fn::If`, `Condition` attributes and `{"Condition": name}` are declared. */
export const conditionNames: TemplateRule = {
  scope: 'template',
  id: 'SP1106',
  title: 'Unknown condition',
  severity: 'error',
  docs: userGuide('conditions-section-structure.html'),
  check({ template, model, report }) {
    const body = template.body!;
    const known = (name: string, path: Path, what: string) => {
      if (!model.conditions.has(name)) report(path, `${what} names condition ${name}, which is not declared in Conditions`);
    };
    for (const section of ['Resources', 'Outputs']) {
      const entries = body[section];
      if (!isObject(entries)) continue;
      for (const [name, entry] of Object.entries(entries)) {
        if (isObject(entry) && 'Condition' in entry) {
          if (typeof entry.Condition === 'string') known(entry.Condition, [section, name, 'Condition'], `${name}`);
          else report([section, name, 'Condition'], `The Condition of ${name} must be a condition name`);
        }
      }
    }
    for (const section of ['Resources', 'Outputs', 'Conditions']) {
      for (const { fn, argument, path } of intrinsicCalls(body, section)) {
          if (fn === 'Fn::If' && Array.isArray(argument) && typeof argument[0] === 'string') known(argument[0], [...path, 'Fn::If', 0], 'Fn::If');
          if (fn === 'Condition' && typeof argument === 'string') known(argument, [...path, 'Condition'], 'Condition');
      }
    }
  },
};
