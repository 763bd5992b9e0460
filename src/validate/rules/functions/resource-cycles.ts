import { findCycles } from '../../../graph/graph.ts';
import { references } from '../../../template/intrinsics.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';

/** Resources that depend on each other in a circle (through Ref, GetAtt, Sub or DependsOn) can never be created. */
export const resourceCycles: TemplateRule = {
  scope: 'template',
  id: 'SP1108',
  title: 'Circular dependency between resources',
  severity: 'error',
  docs: templateReference('aws-attribute-dependson.html'),
  check({ template, model, report }) {
    const resources = template.body!.Resources as Record<string, unknown> | undefined;
    const graph = new Map<string, string[]>();
    for (const resource of model.resources.values()) {
      const raw = resources?.[resource.logicalId] as Record<string, unknown>;
      const deps = new Set(resource.dependsOn);
      // Properties, Metadata and policies all create dependencies; the resource's own Condition does not.
      for (const key of ['Properties', 'Metadata', 'CreationPolicy', 'UpdatePolicy']) {
        for (const ref of references(raw?.[key])) if (model.resources.has(ref.name)) deps.add(ref.name);
      }
      graph.set(resource.logicalId, [...deps]);
    }
    for (const cycle of findCycles(graph)) {
      const message = cycle.length === 1 ? `${cycle[0]} depends on itself` : `Circular dependency between resources ${cycle.join(', ')}: each needs another to exist first`;
      report(['Resources', cycle[0]], message, { at: 'key' });
    }
  },
};
