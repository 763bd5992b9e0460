import { findCycles } from '../../../graph/graph.ts';
import { intrinsicCalls, referencesOf } from '../../../template/intrinsics.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';

/** Resources that depend on each other in a circle (through Ref, GetAtt, Sub or DependsOn) can never be created. */
export const resourceCycles: TemplateRule = {
  scope: 'template',
  id: 'SP1108',
  title: 'Circular dependency between resources',
  severity: 'error',
  docs: templateReference('aws-attribute-dependson.html'),
  check({ template, model, report }) {
    // From the calls of the Resources section, found once for all rules: each resource's references by attribute.
    const referenced = new Map<string | number, Map<string | number, string[]>>();
    for (const { name, path } of referencesOf(intrinsicCalls(template.body!, 'Resources'))) {
      if (path.length < 4) continue; // a call in place of a resource or of Resources is not one of its attributes
      let byAttribute = referenced.get(path[1]);
      if (!byAttribute) referenced.set(path[1], (byAttribute = new Map<string | number, string[]>()));
      let names = byAttribute.get(path[2]);
      if (!names) byAttribute.set(path[2], (names = []));
      names.push(name);
    }
    const graph = new Map<string, string[]>();
    for (const resource of model.resources.values()) {
      const deps = new Set(resource.dependsOn);
      // Properties, Metadata and policies all create dependencies; the resource's own Condition does not.
      for (const key of ['Properties', 'Metadata', 'CreationPolicy', 'UpdatePolicy']) {
        for (const name of referenced.get(resource.logicalId)?.get(key) ?? []) if (model.resources.has(name)) deps.add(name);
      }
      graph.set(resource.logicalId, [...deps]);
    }
    for (const cycle of findCycles(graph)) {
      const message = cycle.length === 1 ? `${cycle[0]} depends on itself` : `Circular dependency between resources ${cycle.join(', ')}: each needs another to exist first`;
      report(['Resources', cycle[0]], message, { at: 'key' });
    }
  },
};
