import { stackInstances } from '../../../project/exports.ts';
import { BEDROCK_MODEL_ID, modelAvailability, typeAvailability, type PublishedServices } from '../../../regions/availability.ts';
import { readRefreshedServices } from '../../../regions/refreshed-services.ts';
import { stackRegions } from '../../../regions/target-regions.ts';
import { type ProjectRule, userGuide } from '../../rule.ts';

/** Region overrides whose key names Bedrock models (`BedrockModels`, `ModelId`, ...). */
const MODEL_KEY = /model/i;

/**
 * Every resource type a stack uses is offered in each region the stack deploys to, and every
 * Bedrock model a region override names is offered in that region (see docs/regions.md).
 */
export const regionAvailability: ProjectRule = {
  scope: 'project',
  id: 'SP5008',
  title: 'Resource type or Bedrock model not offered in the region',
  severity: 'error',
  docs: userGuide('resource-type-schemas.html'),
  check({ project, report }) {
    let services: PublishedServices | undefined;
    let servicesRead = false;
    const refreshed = () => {
      if (!servicesRead) services = readRefreshedServices(project.root)?.services;
      servicesRead = true;
      return services;
    };
    const reported = new Set<string>();
    for (const environment of project.environments) {
      for (const instance of stackInstances(project, environment)) {
        const regions = stackRegions(project, environment, instance.stackId);
        if (regions.length === 0) continue;
        const { template } = instance;
        for (const resource of template.model.resources.values()) {
          for (const region of regions) {
            const key = `${template.file}\0${resource.logicalId}\0${region}`;
            if (reported.has(key)) continue;
            const availability = typeAvailability(resource.type, region, refreshed());
            if (availability.offered !== false) continue;
            reported.add(key);
            report(template, ['Resources', resource.logicalId, 'Type'], `${resource.type} (resource ${resource.logicalId} of stack ${instance.stackId}) is ${availability.reason}`);
          }
        }
      }
    }
    for (const [region, overrides] of project.regionOverrides?.byRegion ?? []) {
      for (const override of overrides) {
        if (!MODEL_KEY.test(override.key)) continue;
        override.value.split(',').forEach((raw, index) => {
          const model = raw.trim();
          if (!BEDROCK_MODEL_ID.test(model)) return;
          const availability = modelAvailability(model, region);
          if (availability.offered !== false) return;
          // A list item where the value is a list; a comma-joined string points at its key.
          report(override.source, [...override.source.valuePath, index], `Bedrock model ${model} (${override.key} for ${region}) is not offered in ${region}: ${availability.reason}`);
        });
      }
    }
  },
};
