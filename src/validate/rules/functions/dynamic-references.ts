import { INTRINSIC_FUNCTIONS, isObject } from '../../../template/intrinsics.ts';
import type { Path } from '../../../template/source-map.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

/** `{{resolve:...}}`, without braces inside: one scan, linear in the text. */
const DYNAMIC_REFERENCE = /\{\{(resolve:[^{}]*)\}\}/g;
const PARAMETER_NAME = /^[a-zA-Z0-9_.\-/]+$/;
const VERSION = /^\d+$/;

/**
 * The only properties CloudFormation resolves `ssm-secure` references in ("Resources that support
 * dynamic parameter patterns for secure strings", CloudFormation user guide), list items left out.
 */
const SECURE_STRING_PROPERTIES = new Set([
  'AWS::DirectoryService::MicrosoftAD/Password',
  'AWS::DirectoryService::SimpleAD/Password',
  'AWS::ElastiCache::ReplicationGroup/AuthToken',
  'AWS::IAM::User/LoginProfile/Password',
  'AWS::KinesisFirehose::DeliveryStream/RedshiftDestinationConfiguration/Password',
  'AWS::OpsWorks::App/AppSource/Password',
  'AWS::OpsWorks::Stack/RdsDbInstances/DbPassword',
  'AWS::OpsWorks::Stack/CustomCookbooksSource/Password',
  'AWS::RDS::DBCluster/MasterUserPassword',
  'AWS::RDS::DBInstance/MasterUserPassword',
  'AWS::Redshift::Cluster/MasterUserPassword',
]);

/** Dynamic references have the shape CloudFormation resolves, and `ssm-secure` sits only where it is supported. */
export const dynamicReferences: TemplateRule = {
  scope: 'template',
  id: 'SP1109',
  title: 'Malformed dynamic reference',
  severity: 'error',
  docs: userGuide('dynamic-references.html'),
  check({ template, macros, report }) {
    const body = template.body!;
    visitStrings(body, [], (text, path) => {
      if (!text.includes('{{resolve:')) return;
      for (const match of text.matchAll(DYNAMIC_REFERENCE)) {
        const problem = shapeProblem(match[1].split(':')) ?? (macros ? undefined : placeProblem(match[1], path, body));
        if (problem) report(path, `${match[0]}: ${problem}`);
      }
    });
  },
};

/** What is wrong with the parts of `resolve:service:...`, if anything. */
function shapeProblem(parts: string[]): string | undefined {
  const [, service] = parts;
  if (service === 'ssm' || service === 'ssm-secure') {
    const [, , name, version] = parts;
    if (!name || !PARAMETER_NAME.test(name)) return `the parameter name must be letters, digits and _.-/ (write {{resolve:${service}:name}} or {{resolve:${service}:name:version}})`;
    if (parts.length > 4 || (version !== undefined && !VERSION.test(version))) return `after the parameter name comes only a version number (write {{resolve:${service}:${name}:1}} or leave it out)`;
    return undefined;
  }
  if (service === 'secretsmanager') {
    // An ARN (arn:partition:secretsmanager:region:account:secret:name) takes seven parts of its own.
    const idParts = parts[2] === 'arn' ? 7 : 1;
    const id = parts.slice(2, 2 + idParts);
    const rest = parts.slice(2 + idParts);
    if (id.length < idParts || id.some((p) => p === '') || (idParts === 7 && id[5] !== 'secret')) return 'the secret id must be a name or a full secret ARN';
    if (rest.length > 4) return 'too many parts: write {{resolve:secretsmanager:secret-id:SecretString:json-key:version-stage:version-id}}';
    if (rest.length > 0 && rest[0] !== 'SecretString' && rest[0] !== '') return `the part after the secret id must be SecretString, not "${rest[0]}" (write {{resolve:secretsmanager:secret-id:SecretString:json-key}})`;
    if (rest[2] && rest[3]) return 'give a version stage or a version id, not both';
    return undefined;
  }
  return `CloudFormation resolves ssm, ssm-secure and secretsmanager references, not "${service ?? ''}"`;
}

/** Where a well-formed reference cannot go: ssm-secure outside its few properties, secrets outside resource properties. */
function placeProblem(reference: string, path: Path, body: Record<string, unknown>): string | undefined {
  const service = reference.split(':')[1];
  if (service === 'ssm') return undefined;
  const inProperties = path[0] === 'Resources' && path[2] === 'Properties';
  if (service === 'secretsmanager') {
    if (inProperties || (path[0] === 'Parameters' && path[2] === 'Default')) return undefined;
    return 'Secrets Manager references are resolved in resource properties only';
  }
  const resource = inProperties && isObject(body.Resources) ? body.Resources[path[1] as string] : undefined;
  const type = isObject(resource) && typeof resource.Type === 'string' ? resource.Type : undefined;
  // Functions and list indexes do not change which property the value ends up in.
  const property = path.slice(3).filter((p) => typeof p === 'string' && !INTRINSIC_FUNCTIONS.has(p));
  if (type && SECURE_STRING_PROPERTIES.has([type, ...property].join('/'))) return undefined;
  return 'CloudFormation resolves ssm-secure only in a few password properties (RDS MasterUserPassword, IAM LoginProfile Password...); use a secretsmanager reference or a NoEcho parameter here';
}

function visitStrings(value: unknown, path: Path, visit: (text: string, path: Path) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => visitStrings(item, [...path, i], visit));
  else if (isObject(value)) for (const [key, child] of Object.entries(value)) visitStrings(child, [...path, key], visit);
}
