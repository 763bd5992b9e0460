import { isCustomResourceType, type ResourceFacts } from '../../spec/resource-facts.ts';
import { generatedName, randomHex, randomLower, randomUpper, randomUuid, type Random } from '../ids.ts';

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
  /** What `Ref` returns, built from the name (the name itself when omitted). */
  refFromName?: (name: string, at: NamingContext, properties: Record<string, unknown>) => string;
  /** How CloudFormation generates the name when none is given (stack-Logical-RANDOM when omitted). */
  generate?: (at: NamingContext, properties: Record<string, unknown>) => string;
}

const fifo = (properties: Record<string, unknown>, flag: string) => properties[flag] === true || properties[flag] === 'true';

/** Types whose `Ref` is a name, or is built from one; the common ones, by hand. */
const NAMED_TYPES: Record<string, NamedType> = {
  'AWS::S3::Bucket': { nameProperty: 'BucketName', maxLength: 63, lowerCase: true },
  'AWS::DynamoDB::Table': { nameProperty: 'TableName', maxLength: 255 },
  'AWS::IAM::Role': { nameProperty: 'RoleName', maxLength: 64 },
  'AWS::IAM::User': { nameProperty: 'UserName', maxLength: 64 },
  'AWS::IAM::Group': { nameProperty: 'GroupName', maxLength: 128 },
  'AWS::IAM::InstanceProfile': { nameProperty: 'InstanceProfileName', maxLength: 128 },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    maxLength: 128,
    refFromName: (name, at, p) => `arn:aws:iam::${at.accountId}:policy${typeof p.Path === 'string' ? p.Path : '/'}${name}`,
  },
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    maxLength: 80,
    refFromName: (name, at) => `https://sqs.${at.region}.amazonaws.com/${at.accountId}/${name}`,
    generate: (at, p) => (fifo(p, 'FifoQueue') ? `${generatedName(at.stackName, at.logicalId, at.random, 75)}.fifo` : generatedName(at.stackName, at.logicalId, at.random, 80)),
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    maxLength: 256,
    refFromName: (name, at) => `arn:aws:sns:${at.region}:${at.accountId}:${name}`,
    generate: (at, p) => (fifo(p, 'FifoTopic') ? `${generatedName(at.stackName, at.logicalId, at.random, 251)}.fifo` : generatedName(at.stackName, at.logicalId, at.random, 256)),
  },
  'AWS::Logs::LogGroup': { nameProperty: 'LogGroupName', maxLength: 512 },
  'AWS::Lambda::Function': { nameProperty: 'FunctionName', maxLength: 64 },
  'AWS::SSM::Parameter': { nameProperty: 'Name', maxLength: 2048, generate: (at) => `CFN-${at.logicalId}-${randomUpper(12, at.random)}` },
  'AWS::SecretsManager::Secret': {
    nameProperty: 'Name',
    maxLength: 512,
    refFromName: (name, at) => `arn:aws:secretsmanager:${at.region}:${at.accountId}:secret:${name}-${randomFromMixed(6, at.random)}`,
    generate: (at) => `${at.logicalId}-${randomFromMixed(12, at.random)}`,
  },
  'AWS::KMS::Alias': { nameProperty: 'AliasName', maxLength: 256 },
  'AWS::RDS::DBInstance': { nameProperty: 'DBInstanceIdentifier', maxLength: 63, lowerCase: true },
  'AWS::RDS::DBCluster': { nameProperty: 'DBClusterIdentifier', maxLength: 63, lowerCase: true },
  'AWS::RDS::DBSubnetGroup': { nameProperty: 'DBSubnetGroupName', maxLength: 255, lowerCase: true },
  'AWS::ECS::Cluster': { nameProperty: 'ClusterName', maxLength: 255 },
  'AWS::ECR::Repository': { nameProperty: 'RepositoryName', maxLength: 256, lowerCase: true },
  'AWS::Kinesis::Stream': { nameProperty: 'Name', maxLength: 128 },
  'AWS::Events::Rule': { nameProperty: 'Name', maxLength: 64 },
  'AWS::Events::EventBus': { nameProperty: 'Name', maxLength: 256 },
  'AWS::CloudWatch::Alarm': { nameProperty: 'AlarmName', maxLength: 255 },
  'AWS::EC2::KeyPair': { nameProperty: 'KeyName', maxLength: 255 },
  'AWS::StepFunctions::StateMachine': {
    nameProperty: 'StateMachineName',
    maxLength: 80,
    refFromName: (name, at) => `arn:aws:states:${at.region}:${at.accountId}:stateMachine:${name}`,
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    nameProperty: 'Name',
    maxLength: 32,
    refFromName: (name, at, p) => `arn:aws:elasticloadbalancing:${at.region}:${at.accountId}:loadbalancer/${p.Type === 'network' ? 'net' : 'app'}/${name}/${randomHex(16, at.random)}`,
    generate: (at) => generatedName(at.stackName, at.logicalId, at.random, 32, 8),
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    nameProperty: 'Name',
    maxLength: 32,
    refFromName: (name, at) => `arn:aws:elasticloadbalancing:${at.region}:${at.accountId}:targetgroup/${name}/${randomHex(16, at.random)}`,
    generate: (at) => generatedName(at.stackName, at.logicalId, at.random, 32, 8),
  },
  'AWS::Route53::RecordSet': { nameProperty: 'Name', maxLength: 1024 },
};

const randomFromMixed = (length: number, random: Random) => randomUpper(length, random).split('').map((c, i) => (i % 2 ? c.toLowerCase() : c)).join('');

/** Types whose `Ref` is an id in the service's own shape. */
const ID_TYPES: Record<string, (at: NamingContext) => string> = {
  'AWS::EC2::VPC': (at) => `vpc-${randomHex(17, at.random)}`,
  'AWS::EC2::Subnet': (at) => `subnet-${randomHex(17, at.random)}`,
  'AWS::EC2::SecurityGroup': (at) => `sg-${randomHex(17, at.random)}`,
  'AWS::EC2::InternetGateway': (at) => `igw-${randomHex(17, at.random)}`,
  'AWS::EC2::NatGateway': (at) => `nat-${randomHex(17, at.random)}`,
  'AWS::EC2::RouteTable': (at) => `rtb-${randomHex(17, at.random)}`,
  'AWS::EC2::NetworkAcl': (at) => `acl-${randomHex(17, at.random)}`,
  'AWS::EC2::Instance': (at) => `i-${randomHex(17, at.random)}`,
  'AWS::EC2::Volume': (at) => `vol-${randomHex(17, at.random)}`,
  'AWS::EC2::VPCEndpoint': (at) => `vpce-${randomHex(17, at.random)}`,
  'AWS::EC2::LaunchTemplate': (at) => `lt-${randomHex(17, at.random)}`,
  'AWS::EC2::NetworkInterface': (at) => `eni-${randomHex(17, at.random)}`,
  'AWS::EC2::TransitGateway': (at) => `tgw-${randomHex(17, at.random)}`,
  'AWS::EC2::SubnetRouteTableAssociation': (at) => `rtbassoc-${randomHex(17, at.random)}`,
  'AWS::EC2::EIP': (at) => `3.${Math.floor(at.random() * 256)}.${Math.floor(at.random() * 256)}.${1 + Math.floor(at.random() * 254)}`,
  'AWS::KMS::Key': (at) => randomUuid(at.random),
  'AWS::Cognito::UserPool': (at) => `${at.region}_${randomFromMixed(9, at.random)}`,
  'AWS::Cognito::UserPoolClient': (at) => randomLower(26, at.random),
  'AWS::CloudFront::Distribution': (at) => `E${randomUpper(13, at.random)}`,
  'AWS::Route53::HostedZone': (at) => `Z${randomUpper(20, at.random)}`,
  'AWS::ApiGateway::RestApi': (at) => randomLower(10, at.random),
  'AWS::ApiGateway::Resource': (at) => randomLower(6, at.random),
  'AWS::ApiGateway::Deployment': (at) => randomLower(6, at.random),
  'AWS::ApiGatewayV2::Api': (at) => randomLower(10, at.random),
  'AWS::ECS::Service': (at) => `arn:aws:ecs:${at.region}:${at.accountId}:service/${generatedName(at.stackName, at.logicalId, at.random, 255)}`,
  'AWS::ECS::TaskDefinition': (at) => `arn:aws:ecs:${at.region}:${at.accountId}:task-definition/${generatedName(at.stackName, at.logicalId, at.random, 255)}:1`,
  'AWS::Lambda::Version': (at) => `arn:aws:lambda:${at.region}:${at.accountId}:function:${at.logicalId}:1`,
  'AWS::CloudFormation::WaitConditionHandle': (at) => `https://cloudformation-waitcondition-${at.region}.s3.amazonaws.com/${encodeURIComponent(at.logicalId)}/${randomUuid(at.random)}`,
};

/** The property holding a custom name for this type, if it has one (the table, else a name-like primary identifier). */
export function nameProperty(type: string, facts: ResourceFacts | undefined): string | undefined {
  if (NAMED_TYPES[type]) return NAMED_TYPES[type].nameProperty;
  if (ID_TYPES[type] || !facts || facts.primaryIdentifier.length !== 1) return undefined;
  const id = facts.primaryIdentifier[0];
  return facts.properties[id]?.type.kind === 'string' && /Name$/.test(id) ? id : undefined;
}

/** The custom name a template gives a resource, if any (replacing such a resource fails). */
export function customName(type: string, facts: ResourceFacts | undefined, properties: Record<string, unknown>): string | undefined {
  const property = nameProperty(type, facts);
  const value = property ? properties[property] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The physical id (what `Ref` returns) of a new resource. The hand-written tables cover the
 * common types; for the rest, the documented fallback: when the type's primary identifier is a
 * name property (`...Name`), the given name or a generated `stack-Logical-RANDOM` one; otherwise a
 * generated `stack-Logical-RANDOM` id, as CloudFormation returns for id-less types.
 */
export function physicalIdFor(type: string, facts: ResourceFacts | undefined, properties: Record<string, unknown>, at: NamingContext): string {
  const named = NAMED_TYPES[type];
  if (named) {
    const given = properties[named.nameProperty];
    let name = typeof given === 'string' && given !== '' ? given : named.generate ? named.generate(at, properties) : generatedName(at.stackName, at.logicalId, at.random, named.maxLength);
    if (named.lowerCase) name = name.toLowerCase();
    return named.refFromName ? named.refFromName(name, at, properties) : name;
  }
  const id = ID_TYPES[type];
  if (id) return id(at);
  if (isCustomResourceType(type)) return generatedName(at.stackName, at.logicalId, at.random);
  const property = nameProperty(type, facts);
  const given = property ? properties[property] : undefined;
  if (typeof given === 'string' && given !== '') return given;
  return generatedName(at.stackName, at.logicalId, at.random);
}
