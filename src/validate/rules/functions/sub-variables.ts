import { intrinsicCalls, isObject, PSEUDO_PARAMETERS, subVariables } from '../../../template/intrinsics.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';
import { getAttProblem } from './getatt-target.ts';

/** Every `${variable}` of a `Fn::Sub` resolves: a local variable, parameter, resource, `Resource.Attribute` or pseudo parameter. */
export const subVariablesRule: TemplateRule = {
  scope: 'template',
  id: 'SP1104',
  title: 'Sub variable that resolves to nothing',
  severity: 'error',
  docs: templateReference('intrinsic-function-reference-sub.html'),
  check(ctx) {
    const { template, model, transformed, report } = ctx;
    const body = template.body!;
    for (const section of ['Resources', 'Outputs']) {
      for (const { fn, argument, path } of intrinsicCalls(body, section)) {
        if (fn !== 'Fn::Sub') continue;
        const text: unknown = typeof argument === 'string' ? argument : Array.isArray(argument) ? argument[0] : undefined;
        if (typeof text !== 'string') continue;
        const local = Array.isArray(argument) && isObject(argument[1]) ? argument[1] : {};
        const at = [...path, 'Fn::Sub', ...(Array.isArray(argument) ? [0] : [])];
        for (const variable of subVariables(text)) {
          if (Object.hasOwn(local, variable) || PSEUDO_PARAMETERS.has(variable) || model.parameters.has(variable) || model.resources.has(variable)) continue;
          const dot = variable.indexOf('.');
          if (dot > 0) {
            const problem = getAttProblem(ctx, variable.slice(0, dot), variable.slice(dot + 1));
            if (problem) report(at, `\${${variable}}: ${problem}`);
            continue;
          }
          if (transformed) continue;
          report(at, `\${${variable}} is not a parameter, resource, pseudo parameter or variable of this Sub`);
        }
      }
    }
  },
};
