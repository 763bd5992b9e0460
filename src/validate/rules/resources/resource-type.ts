import { isCustomResourceType } from '../../../spec/resource-facts.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

/** The resource type exists: AWS types from the resource facts, custom resources, modules. */
export const resourceType: TemplateRule = {
  scope: 'template',
  id: 'SP3001',
  title: 'Unknown resource type',
  severity: 'error',
  docs: userGuide('aws-template-resource-type-ref.html'),
  check({ model, facts, transformed, report }) {
    for (const resource of model.resources.values()) {
      const { type, logicalId } = resource;
      if (type === '' || isCustomResourceType(type) || facts.resource(type)) continue;
      if (transformed) continue; // a transform may define it (AWS::Serverless::*, macros)
      const path = ['Resources', logicalId, 'Type'];
      if (type.endsWith('::MODULE')) continue; // registry modules live in the account
      if (/^(AWS|Alexa)::/.test(type)) report(path, `Unknown resource type ${type} (not in the resource specification ${facts.specVersion})`);
      else report(path, `Resource type ${type} is not an AWS type: it must be registered in the target account (a third-party or private registry type)`, { severity: 'warning' });
    }
  },
};
