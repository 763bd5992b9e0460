import { isCustomResourceType, type ResourceFacts } from '../../spec/resource-facts.ts';
import { generatedName, randomUpper, randomUuid, type Random } from '../ids.ts';
import { returnValuesOf } from './return-values.ts';
import { fillForm, propertyAt, type FormContext } from './value-forms.ts';

/** Where a resource is being created: what its generated names and ids are made from. */
export interface NamingContext {
  stackName: string;
  logicalId: string;
  region: string;
  accountId: string;
  random: Random;
}

interface NamedType {
  /** The property that gives the resource a custom name. */
  nameProperty: string;
  maxLength: number;
  lowerCase?: boolean;
  /** How CloudFormation generates the name when none is given (stack-Logical-RANDOM when omitted). */
  generate?: (at: NamingContext, properties: Record<string, unknown>) => string;
}

const fifo = (properties: Record<string, unknown>, flag: string) => properties[flag] === true || properties[flag] === 'true';

/**
 * How the common types are named: the property holding a custom name, and how CloudFormation
 * generates one when none is given. What `Ref` returns is in return-values.ts.
 */
const NAMED_TYPES: Record<string, NamedType> = {
  'AWS::S3::Bucket': { nameProperty: 'BucketName', maxLength: 63, lowerCase: true },
  'AWS::DynamoDB::Table': { nameProperty: 'TableName', maxLength: 255 },
  'AWS::IAM::Role': { nameProperty: 'RoleName', maxLength: 64 },
  'AWS::IAM::User': { nameProperty: 'UserName', maxLength: 64 },
  'AWS::IAM::Group': { nameProperty: 'GroupName', maxLength: 128 },
  'AWS::IAM::InstanceProfile': { nameProperty: 'InstanceProfileName', maxLength: 128 },
  'AWS::IAM::ManagedPolicy': { nameProperty: 'ManagedPolicyName', maxLength: 128 },
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    maxLength: 80,
    generate: (at, p) => (fifo(p, 'FifoQueue') ? `${generatedName(at.stackName, at.logicalId, at.random, 75)}.fifo` : generatedName(at.stackName, at.logicalId, at.random, 80)),
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    maxLength: 256,
    generate: (at, p) => (fifo(p, 'FifoTopic') ? `${generatedName(at.stackName, at.logicalId, at.random, 251)}.fifo` : generatedName(at.stackName, at.logicalId, at.random, 256)),
  },
  'AWS::Logs::LogGroup': { nameProperty: 'LogGroupName', maxLength: 512 },
  'AWS::Lambda::Function': { nameProperty: 'FunctionName', maxLength: 64 },
  'AWS::SSM::Parameter': { nameProperty: 'Name', maxLength: 2048, generate: (at) => `CFN-${at.logicalId}-${randomUpper(12, at.random)}` },
  'AWS::SecretsManager::Secret': { nameProperty: 'Name', maxLength: 512, generate: (at) => `${at.logicalId}-${randomFromMixed(12, at.random)}` },
  'AWS::KMS::Alias': { nameProperty: 'AliasName', maxLength: 256 },
  'AWS::RDS::DBInstance': { nameProperty: 'DBInstanceIdentifier', maxLength: 63, lowerCase: true },
  'AWS::RDS::DBCluster': { nameProperty: 'DBClusterIdentifier', maxLength: 63, lowerCase: true },
  'AWS::RDS::DBSubnetGroup': { nameProperty: 'DBSubnetGroupName', maxLength: 255, lowerCase: true },
  'AWS::ElastiCache::ReplicationGroup': { nameProperty: 'ReplicationGroupId', maxLength: 40, lowerCase: true },
  'AWS::ECS::Cluster': { nameProperty: 'ClusterName', maxLength: 255 },
  'AWS::ECR::Repository': { nameProperty: 'RepositoryName', maxLength: 256, lowerCase: true },
  'AWS::Kinesis::Stream': { nameProperty: 'Name', maxLength: 128 },
  'AWS::Events::Rule': { nameProperty: 'Name', maxLength: 64 },
  'AWS::Events::EventBus': { nameProperty: 'Name', maxLength: 256 },
  'AWS::CloudWatch::Alarm': { nameProperty: 'AlarmName', maxLength: 255 },
  'AWS::EC2::KeyPair': { nameProperty: 'KeyName', maxLength: 255 },
  'AWS::StepFunctions::StateMachine': { nameProperty: 'StateMachineName', maxLength: 80 },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { nameProperty: 'Name', maxLength: 32, generate: (at) => generatedName(at.stackName, at.logicalId, at.random, 32, 8) },
  'AWS::ElasticLoadBalancingV2::TargetGroup': { nameProperty: 'Name', maxLength: 32, generate: (at) => generatedName(at.stackName, at.logicalId, at.random, 32, 8) },
  'AWS::Route53::RecordSet': { nameProperty: 'Name', maxLength: 1024 },
};

const randomFromMixed = (length: number, random: Random) => randomUpper(length, random).split('').map((c, i) => (i % 2 ? c.toLowerCase() : c)).join('');

/** Types outside the return-values table whose `Ref` is an id in the service's own shape. */
const ID_TYPES: Record<string, (at: NamingContext) => string> = {
  'AWS::CloudFormation::WaitConditionHandle': (at) => `https://cloudformation-waitcondition-${at.region}.s3.amazonaws.com/${encodeURIComponent(at.logicalId)}/${randomUuid(at.random)}`,
};

/** The property holding a custom name for this type, if it has one (the tables, else a name-like primary identifier). */
export function nameProperty(type: string, facts: ResourceFacts | undefined): string | undefined {
  if (NAMED_TYPES[type]) return NAMED_TYPES[type].nameProperty;
  const values = returnValuesOf(type);
  if (values?.nameProperty) return values.nameProperty;
  if (ID_TYPES[type] || !facts || facts.primaryIdentifier.length !== 1) return undefined;
  const id = facts.primaryIdentifier[0];
  return facts.properties[id]?.type.kind === 'string' && /Name$/.test(id) ? id : undefined;
}

/** The custom name a template gives a resource, if any (replacing such a resource fails). */
export function customName(type: string, facts: ResourceFacts | undefined, properties: Record<string, unknown>): string | undefined {
  const property = nameProperty(type, facts);
  const value = property ? propertyAt(properties, property) : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The resource's name: the custom one, or one CloudFormation generates (`stack-Logical-RANDOM` unless the type has its own rule). */
function resourceName(type: string, facts: ResourceFacts | undefined, properties: Record<string, unknown>, at: NamingContext): string {
  const named = NAMED_TYPES[type];
  const name = customName(type, facts, properties) ?? (named?.generate ? named.generate(at, properties) : generatedName(at.stackName, at.logicalId, at.random, named?.maxLength));
  return named?.lowerCase ? name.toLowerCase() : name;
}

/** What a value form needs to make this resource's values. */
export function formContext(type: string, facts: ResourceFacts | undefined, properties: Record<string, unknown>, at: NamingContext): FormContext {
  let name: string | undefined;
  return { ...at, properties, name: () => (name ??= resourceName(type, facts, properties, at)), generated: () => generatedName(at.stackName, at.logicalId, at.random) };
}

/**
 * The physical id (what `Ref` returns) of a new resource: the return-values table's form for the
 * documented types; for the rest, the documented fallback: when the type's primary identifier is
 * a name property (`...Name`), the given name or a generated `stack-Logical-RANDOM` one; otherwise
 * a generated `stack-Logical-RANDOM` id, as CloudFormation returns for id-less types.
 */
export function physicalIdFor(type: string, facts: ResourceFacts | undefined, properties: Record<string, unknown>, at: NamingContext): string {
  const values = returnValuesOf(type);
  if (values) return String(fillForm(values.ref, formContext(type, facts, properties, at)));
  const id = ID_TYPES[type];
  if (id) return id(at);
  if (isCustomResourceType(type)) return generatedName(at.stackName, at.logicalId, at.random);
  return resourceName(type, facts, properties, at);
}
