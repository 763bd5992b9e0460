import { HOURS_PER_MONTH, type Estimator } from '../lines.ts';
import { textOf } from './values.ts';

const natGateway: Estimator = (_, { usage }) => [
  { service: 'nat-gateway', price: 'hour', quantity: HOURS_PER_MONTH, description: 'NAT gateway hours' },
  { service: 'nat-gateway', price: 'gb-processed', quantity: usage.get('natGatewayGbProcessed'), description: 'data processed', usage: ['natGatewayGbProcessed'] },
];

const elasticIp: Estimator = () => [{ service: 'public-ipv4', price: 'hour', quantity: HOURS_PER_MONTH, description: 'public IPv4 address hours', notes: ['charged whether attached or not'] }];

const vpcEndpoint: Estimator = (resource, { usage }) => {
  // CloudFormation's default endpoint type is Gateway: S3 and DynamoDB gateway endpoints cost nothing.
  const type = textOf(resource.properties.VpcEndpointType) ?? 'Gateway';
  if (type === 'Gateway') return [];
  if (type !== 'Interface') return `${type} endpoints are not estimated`;
  const subnets = resource.properties.SubnetIds;
  const azs = Array.isArray(subnets) ? subnets.length : 2;
  const notes = Array.isArray(subnets) ? [] : ['subnets known only after deploy: 2 AZs assumed'];
  return [
    { service: 'vpc-endpoint', price: 'interface-hour', quantity: HOURS_PER_MONTH * azs, description: 'interface endpoint hours', detail: `${azs} AZ${azs === 1 ? '' : 's'}`, notes },
    { service: 'vpc-endpoint', price: 'gb-processed', quantity: usage.get('vpcEndpointGbProcessed'), description: 'data processed', usage: ['vpcEndpointGbProcessed'] },
  ];
};

const loadBalancer: Estimator = (resource, { usage }) => {
  const type = textOf(resource.properties.Type) ?? 'application';
  const kind = type === 'network' ? 'nlb' : type === 'application' ? 'alb' : undefined;
  if (!kind) return `${type} load balancers are not estimated`;
  return [
    { service: 'load-balancer', price: `${kind}-hour`, quantity: HOURS_PER_MONTH, description: `${type} load balancer hours` },
    { service: 'load-balancer', price: `${kind}-lcu-hour`, quantity: HOURS_PER_MONTH * usage.get('loadBalancerCapacityUnits'), description: 'capacity unit hours', usage: ['loadBalancerCapacityUnits'] },
  ];
};

export const networkEstimators: Record<string, Estimator> = {
  'AWS::EC2::NatGateway': natGateway,
  'AWS::EC2::EIP': elasticIp,
  'AWS::EC2::VPCEndpoint': vpcEndpoint,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': loadBalancer,
};
