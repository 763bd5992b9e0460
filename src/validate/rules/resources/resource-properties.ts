import { isObject } from '../../../template/intrinsics.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';
import { propertyIssues } from './property-issues.ts';

const RESOURCE_ATTRIBUTES = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy', 'Version', 'Description']);

/** Every property (at any depth) and every resource attribute is one the type knows. */
export const resourceProperties: TemplateRule = {
  scope: 'template',
  id: 'SP3002',
  title: 'Unknown property',
  severity: 'error',
  docs: templateReference('aws-product-property-reference.html'),
  check(ctx) {
    const resources = ctx.template.body!.Resources;
    if (isObject(resources) && !ctx.macros) {
      for (const [logicalId, raw] of Object.entries(resources)) {
        if (!isObject(raw)) continue;
        for (const key of Object.keys(raw)) {
          if (!RESOURCE_ATTRIBUTES.has(key)) ctx.report(['Resources', logicalId, key], `${key} is not a resource attribute (known: ${[...RESOURCE_ATTRIBUTES].join(', ')})`, { at: 'key' });
        }
      }
    }
    for (const issue of propertyIssues(ctx)) if (issue.kind === 'unknown-property') ctx.report(issue.path, issue.message, { at: 'key' });
  },
};
