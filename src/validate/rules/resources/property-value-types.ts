import { type TemplateRule, templateReference } from '../../rule.ts';
import { propertyIssues } from './property-issues.ts';

/** Literal property values have the type the property takes (a list where a list goes, a number where a number goes...). */
export const propertyValueTypes: TemplateRule = {
  scope: 'template',
  id: 'SP3004',
  title: 'Property value of the wrong type',
  severity: 'error',
  docs: templateReference('aws-product-property-reference.html'),
  check(ctx) {
    for (const issue of propertyIssues(ctx)) if (issue.kind === 'wrong-type') ctx.report(issue.path, issue.message);
  },
};
