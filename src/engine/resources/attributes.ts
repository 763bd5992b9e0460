import type { ResourceFacts } from '../../spec/resource-facts.ts';
import { randomHex, randomUpper } from '../ids.ts';
import type { NamingContext } from './physical-ids.ts';

/** The partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function urlSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The last segment of an ARN- or URL-shaped id (`arn:...:topic-name` -> `topic-name`, a queue URL -> its name), or the id itself. */
const lastSegment = (id: string) => (id.startsWith('arn:') ? id.split(/[:/]/).pop()! : id.startsWith('https://') ? id.split('/').pop()! : id);

const serviceOf = (type: string) => type.split('::')[1]?.toLowerCase() ?? 'resource';

type Synthesizer = (id: string, p: Record<string, unknown>, at: NamingContext) => Record<string, unknown>;

const str = (v: unknown, fallback: string) => (typeof v === 'string' || typeof v === 'number' ? String(v) : fallback);

/** Attribute values for the common types, where a generic rule would be wrong. */
const KNOWN: Record<string, Synthesizer> = {
  'AWS::S3::Bucket': (id, _p, at) => ({
    DomainName: `${id}.s3.amazonaws.com`,
    RegionalDomainName: `${id}.s3.${at.region}.amazonaws.com`,
    DualStackDomainName: `${id}.s3.dualstack.${at.region}.amazonaws.com`,
    WebsiteURL: `http://${id}.s3-website-${at.region}.amazonaws.com`,
  }),
  'AWS::DynamoDB::Table': (id, p, at) => ({
    StreamArn: p.StreamSpecification ? `arn:aws:dynamodb:${at.region}:${at.accountId}:table/${id}/stream/${new Date().toISOString().replace('Z', '')}` : undefined,
  }),
  'AWS::IAM::Role': (id, p, at) => ({
    Arn: `arn:aws:iam::${at.accountId}:role${typeof p.Path === 'string' ? p.Path : '/'}${id}`,
    RoleId: `AROA${randomUpper(17, at.random)}`,
  }),
  'AWS::IAM::User': (id, p, at) => ({ Arn: `arn:aws:iam::${at.accountId}:user${typeof p.Path === 'string' ? p.Path : '/'}${id}` }),
  'AWS::IAM::InstanceProfile': (id, p, at) => ({ Arn: `arn:aws:iam::${at.accountId}:instance-profile${typeof p.Path === 'string' ? p.Path : '/'}${id}` }),
  'AWS::SQS::Queue': (id, _p, at) => ({ QueueUrl: id, QueueName: lastSegment(id), Arn: `arn:aws:sqs:${at.region}:${at.accountId}:${lastSegment(id)}` }),
  'AWS::SNS::Topic': (id) => ({ TopicArn: id, TopicName: lastSegment(id) }),
  'AWS::SecretsManager::Secret': (id) => ({ Id: id }),
  'AWS::SSM::Parameter': (id, p, at) => ({ Type: p.Type, Value: p.Value, Arn: `arn:aws:ssm:${at.region}:${at.accountId}:parameter/${id.replace(/^\//, '')}` }),
  'AWS::EC2::VPC': (id, p, at) => ({
    VpcId: id,
    CidrBlock: p.CidrBlock,
    CidrBlockAssociations: [`vpc-cidr-assoc-${randomHex(17, at.random)}`],
    DefaultNetworkAcl: `acl-${randomHex(17, at.random)}`,
    DefaultSecurityGroup: `sg-${randomHex(17, at.random)}`,
    Ipv6CidrBlocks: [],
  }),
  'AWS::EC2::Subnet': (id, p, at) => ({
    SubnetId: id,
    AvailabilityZone: str(p.AvailabilityZone, `${at.region}a`),
    AvailabilityZoneId: `${at.region.replace(/-/g, '').slice(0, 4)}-az1`,
    NetworkAclAssociationId: `aclassoc-${randomHex(17, at.random)}`,
    Ipv6CidrBlocks: [],
  }),
  'AWS::EC2::SecurityGroup': (id, p) => ({ GroupId: id, Id: id, VpcId: p.VpcId }),
  'AWS::EC2::Instance': (id, p, at) => {
    const ip = `10.0.${Math.floor(at.random() * 256)}.${1 + Math.floor(at.random() * 254)}`;
    return {
      AvailabilityZone: str(p.AvailabilityZone, `${at.region}a`),
      PrivateIp: ip,
      PrivateDnsName: `ip-${ip.replace(/\./g, '-')}.${at.region}.compute.internal`,
      PublicIp: `3.${Math.floor(at.random() * 256)}.${Math.floor(at.random() * 256)}.${1 + Math.floor(at.random() * 254)}`,
      PublicDnsName: `ec2-${id}.${at.region}.compute.amazonaws.com`,
      InstanceId: id,
    };
  },
  'AWS::EC2::EIP': (id, _p, at) => ({ PublicIp: id, AllocationId: `eipalloc-${randomHex(17, at.random)}` }),
  'AWS::Lambda::Function': (id, _p, at) => ({ Arn: `arn:aws:lambda:${at.region}:${at.accountId}:function:${id}` }),
  'AWS::KMS::Key': (id, _p, at) => ({ KeyId: id, Arn: `arn:aws:kms:${at.region}:${at.accountId}:key/${id}` }),
  'AWS::RDS::DBInstance': (id, p, at) => ({
    'Endpoint.Address': `${id}.${randomLower12(at)}.${at.region}.rds.amazonaws.com`,
    'Endpoint.Port': str(p.Port, /postgres/.test(str(p.Engine, '')) ? '5432' : '3306'),
    'Endpoint.HostedZoneId': 'Z2R2ITUGPM61AM',
  }),
  'AWS::RDS::DBCluster': (id, p, at) => ({
    'Endpoint.Address': `${id}.cluster-${randomLower12(at)}.${at.region}.rds.amazonaws.com`,
    'ReadEndpoint.Address': `${id}.cluster-ro-${randomLower12(at)}.${at.region}.rds.amazonaws.com`,
    'Endpoint.Port': str(p.Port, /postgres/.test(str(p.Engine, '')) ? '5432' : '3306'),
  }),
  'AWS::CloudFront::Distribution': (id, _p, at) => ({ DomainName: `d${randomLower12(at)}.cloudfront.net`, Id: id }),
  'AWS::ElasticLoadBalancingV2::LoadBalancer': (id, _p, at) => ({
    DNSName: `${lastArnName(id)}-${Math.floor(at.random() * 1e9)}.${at.region}.elb.amazonaws.com`,
    LoadBalancerName: lastArnName(id),
    LoadBalancerFullName: id.split(':loadbalancer/')[1],
    CanonicalHostedZoneID: 'Z35SXDOTRQ7X7K',
  }),
  'AWS::ApiGateway::RestApi': (id, _p, at) => ({ RestApiId: id, RootResourceId: randomLower12(at).slice(0, 10) }),
  'AWS::Cognito::UserPool': (id, _p, at) => ({
    Arn: `arn:aws:cognito-idp:${at.region}:${at.accountId}:userpool/${id}`,
    ProviderName: `cognito-idp.${at.region}.amazonaws.com/${id}`,
    ProviderURL: `https://cognito-idp.${at.region}.amazonaws.com/${id}`,
    UserPoolId: id,
  }),
  // HTTP APIs answer on https://, WebSocket APIs on wss://, both under execute-api.
  'AWS::ApiGatewayV2::Api': (id, p, at) => ({
    ApiId: id,
    ApiEndpoint: `${p.ProtocolType === 'WEBSOCKET' ? 'wss' : 'https'}://${id}.execute-api.${at.region}.${urlSuffixOf(at.region)}`,
  }),
  'AWS::Amplify::App': (id, _p, at) => ({ AppId: lastSegment(id), AppName: lastSegment(id), DefaultDomain: `${lastSegment(id)}.amplifyapp.com`, Arn: `arn:aws:amplify:${at.region}:${at.accountId}:apps/${lastSegment(id)}` }),
  'AWS::ECR::Repository': (id, _p, at) => ({ RepositoryUri: `${at.accountId}.dkr.ecr.${at.region}.${urlSuffixOf(at.region)}/${id}`, Arn: `arn:aws:ecr:${at.region}:${at.accountId}:repository/${id}` }),
};

const randomLower12 = (at: NamingContext) => randomHex(12, at.random);
const lastArnName = (arn: string) => arn.split('/').slice(-2, -1)[0] ?? arn;

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

/** Reads `a.b.c` out of nested properties. */
function propertyAt(properties: Record<string, unknown>, dotted: string): unknown {
  let value: unknown = properties;
  for (const part of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Every `Fn::GetAtt` value of a new resource: the known table first, then generic rules
 * over the attributes the facts list: ARNs from the type's ARN template, properties of the same
 * name, ids and names from the physical id, host names for endpoints and domains.
 */
export function synthesizeAttributes(type: string, facts: ResourceFacts | undefined, physicalId: string, properties: Record<string, unknown>, at: NamingContext): Record<string, unknown> {
  const known = KNOWN[type]?.(physicalId, properties, at) ?? {};
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
