import { isObject } from '../../../template/intrinsics.ts';
import type { Path } from '../../../template/source-map.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

/** Where each IAM type holds policy documents (a Map: types come from templates). */
const POLICY_DOCUMENTS = new Map<string, string[][]>(Object.entries({
  'AWS::IAM::Role': [['AssumeRolePolicyDocument'], ['Policies', '*', 'PolicyDocument']],
  'AWS::IAM::User': [['Policies', '*', 'PolicyDocument']],
  'AWS::IAM::Group': [['Policies', '*', 'PolicyDocument']],
  'AWS::IAM::Policy': [['PolicyDocument']],
  'AWS::IAM::ManagedPolicy': [['PolicyDocument']],
  'AWS::IAM::RolePolicy': [['PolicyDocument']],
  'AWS::IAM::UserPolicy': [['PolicyDocument']],
  'AWS::IAM::GroupPolicy': [['PolicyDocument']],
}));

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const isStar = (v: unknown) => v === '*';

/** An Allow statement with every action on every resource grants administrator access. */
export const iamWildcard: TemplateRule = {
  scope: 'template',
  id: 'SP3102',
  title: 'IAM statement allowing * on *',
  severity: 'warning',
  docs: userGuide('security-best-practices.html#use-iam-to-control-access'),
  check({ model, report }) {
    for (const resource of model.resources.values()) {
      const locations = POLICY_DOCUMENTS.get(resource.type);
      if (!locations) continue;
      const base: Path = ['Resources', resource.logicalId, 'Properties'];
      for (const location of locations) {
        for (const [document, path] of collect(resource.properties, location, base)) {
          if (!isObject(document)) continue;
          list(document.Statement).forEach((statement, i) => {
            if (!isObject(statement) || statement.Effect !== 'Allow') return;
            if (list(statement.Action).some(isStar) && list(statement.Resource).some(isStar)) {
              const at = [...path, 'Statement', ...(Array.isArray(document.Statement) ? [i] : [])];
              report(at, `${resource.logicalId} allows every action ("*") on every resource ("*"): grant only the actions and resources needed`);
            }
          });
        }
      }
    }
  },
};

/** The values at a path with `*` standing for every list item. */
function collect(value: unknown, location: string[], path: Path): [unknown, Path][] {
  if (location.length === 0) return [[value, path]];
  const [head, ...rest] = location;
  if (head === '*') return Array.isArray(value) ? value.flatMap((v, i) => collect(v, rest, [...path, i])) : [];
  return isObject(value) && head in value ? collect(value[head], rest, [...path, head]) : [];
}
