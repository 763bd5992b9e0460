import { isObject } from '../../../template/intrinsics.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';

/** `DependsOn` names other resources of the template. */
export const dependsOn: TemplateRule = {
  scope: 'template',
  id: 'SP1107',
  title: 'DependsOn target that is not a resource',
  severity: 'error',
  docs: templateReference('aws-attribute-dependson.html'),
  check({ template, model, transformed, report }) {
    const resources = template.body!.Resources;
    if (!isObject(resources)) return;
    for (const [logicalId, raw] of Object.entries(resources)) {
      if (!isObject(raw) || raw.DependsOn === undefined) continue;
      const targets = Array.isArray(raw.DependsOn) ? raw.DependsOn : [raw.DependsOn];
      targets.forEach((target, i) => {
        const path = ['Resources', logicalId, 'DependsOn', ...(Array.isArray(raw.DependsOn) ? [i] : [])];
        if (typeof target !== 'string') report(path, 'DependsOn takes a resource logical id or a list of them');
        else if (target === logicalId) report(path, `${logicalId} depends on itself`);
        else if (!model.resources.has(target) && !transformed) report(path, `${logicalId} depends on ${target}, which is not a resource of this template`);
      });
    }
  },
};
