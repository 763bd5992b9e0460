import { type TemplateRule, templateReference } from '../../rule.ts';
import { propertyIssues } from './property-issues.ts';

/** Properties the type requires are present (at any depth). */
export const requiredProperties: TemplateRule = {
  scope: 'template',
  id: 'SP3003',
  title: 'Missing required property',
  severity: 'error',
  docs: templateReference('aws-product-property-reference.html'),
  check(ctx) {
    for (const issue of propertyIssues(ctx)) if (issue.kind === 'missing-required') ctx.report(issue.path, issue.message, { at: 'key' });
  },
};
