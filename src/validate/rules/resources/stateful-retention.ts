import { isNestedStackType } from '../../../spec/resource-facts.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';

/**
 * A resource that holds data should say what happens to it on deletion and on replacement:
 * the default for most types (Delete) loses the data.
 */
export const statefulRetention: TemplateRule = {
  scope: 'template',
  id: 'SP3101',
  title: 'Stateful resource without DeletionPolicy/UpdateReplacePolicy',
  severity: 'warning',
  docs: templateReference('aws-attribute-deletionpolicy.html'),
  check({ model, facts, report }) {
    for (const resource of model.resources.values()) {
      // A nested stack holds no data itself: the resources of its template say what becomes of theirs.
      if (!facts.resource(resource.type)?.isStateful || isNestedStackType(resource.type)) continue;
      const missing = [resource.deletionPolicy === undefined && 'DeletionPolicy', resource.updateReplacePolicy === undefined && 'UpdateReplacePolicy'].filter(Boolean);
      if (missing.length === 0) continue;
      report(['Resources', resource.logicalId], `${resource.logicalId} (${resource.type}) holds data but has no ${missing.join(' or ')}: deleting or replacing it deletes the data; set Retain or Snapshot, or Delete to make the choice explicit`, { at: 'key' });
    }
  },
};
