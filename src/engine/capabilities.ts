import type { TemplateModel } from '../template/model.ts';
import { EngineError } from './api.ts';

/** IAM types, with the property that names them (a named one needs CAPABILITY_NAMED_IAM). */
const IAM_TYPES: Record<string, string | undefined> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::Policy': undefined,
  'AWS::IAM::AccessKey': undefined,
  'AWS::IAM::UserToGroupAddition': undefined,
  'AWS::IAM::RolePolicy': undefined,
  'AWS::IAM::UserPolicy': undefined,
  'AWS::IAM::GroupPolicy': undefined,
};

export interface RequiredCapabilities {
  capabilities: string[];
  reason?: string;
}

/** The capabilities a template needs, and CloudFormation's reason, as GetTemplateSummary reports them. */
export function requiredCapabilities(model: TemplateModel): RequiredCapabilities {
  const iam: string[] = [];
  let named = false;
  for (const resource of model.resources.values()) {
    if (!Object.hasOwn(IAM_TYPES, resource.type)) continue;
    iam.push(resource.logicalId);
    const nameProperty = IAM_TYPES[resource.type];
    if (nameProperty && resource.properties[nameProperty] !== undefined) named = true;
  }
  const capabilities: string[] = [];
  if (iam.length > 0) capabilities.push(named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM');
  if (model.transforms.length > 0) capabilities.push('CAPABILITY_AUTO_EXPAND');
  const reason = iam.length > 0 ? `The following resource(s) require capabilities: [${[...new Set(iam.map((id) => model.resources.get(id)!.type))].join(', ')}]` : undefined;
  return { capabilities, ...(reason ? { reason } : {}) };
}

/** Fails as CloudFormation does when the call did not acknowledge what the template needs. */
export function checkCapabilities(model: TemplateModel, given: string[] | undefined): void {
  const acknowledged = new Set(given ?? []);
  const missing = requiredCapabilities(model).capabilities.filter((c) => {
    if (acknowledged.has(c)) return false;
    // CAPABILITY_NAMED_IAM covers unnamed IAM resources too.
    return !(c === 'CAPABILITY_IAM' && acknowledged.has('CAPABILITY_NAMED_IAM'));
  });
  if (missing.length > 0) throw new EngineError('InsufficientCapabilitiesException', `Requires capabilities : [${missing.join(', ')}]`);
}
