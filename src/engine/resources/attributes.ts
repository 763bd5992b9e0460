import type { ResourceFacts } from '../../spec/resource-facts.ts';
import { formContext, type NamingContext } from './physical-ids.ts';
import { returnValuesOf, type ReturnValues } from './return-values.ts';
import { fillForm, partitionOf, propertyAt, urlSuffixOf } from './value-forms.ts';

export { partitionOf, urlSuffixOf } from './value-forms.ts';

/** The last segment of an ARN- or URL-shaped id (`arn:...:topic-name` -> `topic-name`, a queue URL -> its name), or the id itself. */
const lastSegment = (id: string) => (id.startsWith('arn:') ? id.split(/[:/]/).pop()! : id.startsWith('https://') ? id.split('/').pop()! : id);

const serviceOf = (type: string) => type.split('::')[1]?.toLowerCase() ?? 'resource';

type Synthesizer = (id: string, p: Record<string, unknown>, at: NamingContext) => Record<string, unknown>;

/** Attribute values of types outside the return-values table, where a generic rule would be wrong. */
const KNOWN: Record<string, Synthesizer> = {
  'AWS::IAM::User': (id, p, at) => ({ Arn: `arn:${partitionOf(at.region)}:iam::${at.accountId}:user${typeof p.Path === 'string' ? p.Path : '/'}${id}` }),
  'AWS::SSM::Parameter': (id, p, at) => ({ Type: p.Type, Value: p.Value, Arn: `arn:${partitionOf(at.region)}:ssm:${at.region}:${at.accountId}:parameter/${id.replace(/^\//, '')}` }),
};

/** The documented attributes of a type in the return-values table, each made from its form. */
function documentedAttributes(values: ReturnValues, type: string, facts: ResourceFacts | undefined, physicalId: string, properties: Record<string, unknown>, at: NamingContext): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  const context = { ...formContext(type, facts, properties, at), ref: physicalId, attributes };
  for (const [name, form] of Object.entries(values.attributes)) attributes[name] = fillForm(form, context);
  return attributes;
}

/** `arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}` filled with this resource's values. */
export function fillArnTemplate(template: string, id: string, properties: Record<string, unknown>, at: NamingContext): string {
  return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'Partition') return partitionOf(at.region);
    if (name === 'Region') return at.region;
    if (name === 'Account') return at.accountId;
    if (name === 'ParameterNameWithoutLeadingSlash') return id.replace(/^\//, '');
    const value = properties[name];
    if (typeof value === 'string' && value !== '') return value;
    return lastSegment(id);
  });
}

/**
 * Every `Fn::GetAtt` value of a new resource: the documented forms (return-values.ts) first,
 * then generic rules over the attributes the facts list: ARNs from the type's ARN template,
 * properties of the same name, ids and names from the physical id, host names for endpoints.
 */
export function synthesizeAttributes(type: string, facts: ResourceFacts | undefined, physicalId: string, properties: Record<string, unknown>, at: NamingContext): Record<string, unknown> {
  const values = returnValuesOf(type);
  const known = values ? documentedAttributes(values, type, facts, physicalId, properties, at) : (KNOWN[type]?.(physicalId, properties, at) ?? {});
  const attributes: Record<string, unknown> = {};
  const host = `${lastSegment(physicalId).toLowerCase()}.${serviceOf(type)}.${at.region}.${urlSuffixOf(at.region)}`;
  for (const name of facts?.attributes ?? []) {
    if (known[name] !== undefined) {
      attributes[name] = known[name];
      continue;
    }
    const fromProperty = propertyAt(properties, name);
    const leaf = name.split('.').pop()!;
    if (fromProperty !== undefined && typeof fromProperty !== 'object') attributes[name] = fromProperty;
    else if (/Arn$/.test(leaf)) attributes[name] = physicalId.startsWith('arn:') ? physicalId : facts?.arnTemplate ? fillArnTemplate(facts.arnTemplate, physicalId, properties, at) : `arn:${partitionOf(at.region)}:${serviceOf(type)}:${at.region}:${at.accountId}:${leaf.toLowerCase()}/${lastSegment(physicalId)}`;
    else if (/(Id|Name)$/.test(leaf)) attributes[name] = lastSegment(physicalId);
    else if (/(Url|URL)$/.test(leaf)) attributes[name] = `https://${host}`;
    else if (/(DomainName|Address|Endpoint|DNSName|Host)$/.test(leaf)) attributes[name] = host;
    else if (/Port$/.test(leaf)) attributes[name] = '443';
    else if (/(Time|Date)$/.test(leaf)) attributes[name] = new Date().toISOString();
    else attributes[name] = `${lastSegment(physicalId)}-${leaf}`;
  }
  for (const [name, value] of Object.entries(known)) if (value !== undefined && attributes[name] === undefined) attributes[name] = value;
  return attributes;
}
