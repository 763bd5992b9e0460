import { isCustomResourceType, isNestedStackType } from '../../../spec/resource-facts.ts';
import { intrinsicCalls, getAttTarget } from '../../../template/intrinsics.ts';
import { type TemplateCheck, type TemplateRule, templateReference } from '../../rule.ts';

/** Why `logicalId.attribute` cannot be read, or undefined when it can (or cannot be known offline). */
export function getAttProblem(ctx: TemplateCheck, logicalId: string, attribute: string | undefined): string | undefined {
  const resource = ctx.model.resources.get(logicalId);
  if (!resource) {
    if (ctx.transformed) return undefined;
    if (ctx.model.parameters.has(logicalId)) return `GetAtt needs a resource; ${logicalId} is a parameter (use Ref)`;
    return `GetAtt on ${logicalId}, which is not a resource of this template`;
  }
  if (attribute === undefined || isCustomResourceType(resource.type)) return undefined;
  if (ctx.transformed && resource.type.startsWith('AWS::Serverless::')) return undefined; // attributes of the resources SAM generates
  if (isNestedStackType(resource.type) && /^Outputs\.[A-Za-z0-9]+$/.test(attribute)) return undefined; // checked against the child template by SP5002
  const facts = ctx.facts.resource(resource.type);
  if (!facts) return undefined; // unknown type: reported by SP3001
  if (facts.attributes.includes(attribute)) return undefined;
  const known = facts.attributes.length > 0 ? `; it has ${facts.attributes.join(', ')}` : '; it has no attributes';
  return `${resource.type} has no attribute ${attribute}${known}`;
}

/** `Fn::GetAtt` names a resource of the template and an attribute its type has. */
export const getAttTargetRule: TemplateRule = {
  scope: 'template',
  id: 'SP1103',
  title: 'GetAtt to an unknown resource or attribute',
  severity: 'error',
  docs: templateReference('intrinsic-function-reference-getatt.html'),
  check(ctx) {
    const body = ctx.template.body!;
    for (const section of ['Resources', 'Outputs']) {
      for (const { fn, argument, path } of intrinsicCalls(body, section)) {
        if (fn !== 'Fn::GetAtt') continue;
        const target = getAttTarget(argument);
        if (!target || target[0] === '') continue; // shape: SP1101
        const problem = getAttProblem(ctx, target[0], target[1]);
        if (problem) ctx.report([...path, 'Fn::GetAtt'], problem);
      }
    }
  },
};
