import { type TemplateRule, userGuide } from '../../rule.ts';

/** Notes the transforms a template declares: CloudFormation rewrites such templates at deploy time. */
export const transformNoted: TemplateRule = {
  scope: 'template',
  id: 'SP1002',
  title: 'Transform noted',
  severity: 'info',
  docs: userGuide('transform-section-structure.html'),
  check({ model, report }) {
    for (const name of model.transforms) {
      report(['Transform'], `Transform ${name} is applied by CloudFormation at deploy time; resources it generates are not checked here`);
    }
  },
};
