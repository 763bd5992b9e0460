import { intrinsicCalls, PSEUDO_PARAMETERS } from '../../../template/intrinsics.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';

/** `Ref` names a parameter, a resource or a pseudo parameter (only parameters within Conditions). */
export const refTarget: TemplateRule = {
  scope: 'template',
  id: 'SP1102',
  title: 'Ref to an unknown name',
  severity: 'error',
  docs: templateReference('intrinsic-function-reference-ref.html'),
  check({ template, model, transformed, report }) {
    if (transformed) return;
    const body = template.body!;
    for (const section of ['Resources', 'Outputs', 'Conditions']) {
      for (const { fn, argument, path } of intrinsicCalls(body, section)) {
        if (fn !== 'Ref' || typeof argument !== 'string' || argument === '') continue; // shape: SP1101
        if (PSEUDO_PARAMETERS.has(argument) || model.parameters.has(argument)) continue;
        if (model.resources.has(argument)) {
          if (section === 'Conditions') report([...path, 'Ref'], `Conditions can only refer to parameters, not to resource ${argument}`);
          continue;
        }
        const hint = argument.startsWith('AWS::') ? ' (not a pseudo parameter)' : '';
        report([...path, 'Ref'], `Ref to ${argument}${hint}, which is not a parameter, resource or pseudo parameter of this template`);
      }
    }
  },
};
