import type { Estimator } from '../lines.ts';
import { listOf, textOf } from './values.ts';

const restApi: Estimator = (_, { usage }) => [
  { service: 'api-gateway', price: 'rest-requests', quantity: usage.get('apiRequestsPerMonth') / 1e6, description: 'REST API requests', usage: ['apiRequestsPerMonth'] },
];

const apiV2: Estimator = (resource, { usage }) => {
  const protocol = textOf(resource.properties.ProtocolType);
  if (protocol === 'WEBSOCKET') {
    return [
      { service: 'api-gateway', price: 'websocket-messages', quantity: usage.get('websocketMessagesPerMonth') / 1e6, description: 'WebSocket messages', usage: ['websocketMessagesPerMonth'] },
      { service: 'api-gateway', price: 'websocket-connection-minutes', quantity: usage.get('websocketConnectionMinutesPerMonth') / 1e6, description: 'WebSocket connection minutes', usage: ['websocketConnectionMinutesPerMonth'] },
    ];
  }
  if (protocol === 'HTTP') return [{ service: 'api-gateway', price: 'http-requests', quantity: usage.get('apiRequestsPerMonth') / 1e6, description: 'HTTP API requests', usage: ['apiRequestsPerMonth'] }];
  return 'its ProtocolType is known only after deploy';
};

const distribution: Estimator = (_, { usage }) => [
  { service: 'cloudfront', price: 'gb-out', quantity: usage.get('cloudfrontGbOut'), description: 'data transfer out', usage: ['cloudfrontGbOut'] },
  { service: 'cloudfront', price: 'https-requests', quantity: usage.get('cloudfrontRequestsPerMonth') / 10_000, description: 'HTTPS requests', usage: ['cloudfrontRequestsPerMonth'] },
];

const webAcl: Estimator = (resource, { usage }) => {
  const rules = listOf(resource.properties.Rules).length;
  return [
    { service: 'waf', price: 'web-acl', quantity: 1, description: 'web ACL' },
    { service: 'waf', price: 'rule', quantity: rules, description: 'rules', detail: `${rules}` },
    { service: 'waf', price: 'requests', quantity: usage.get('wafRequestsPerMonth') / 1e6, description: 'requests inspected', usage: ['wafRequestsPerMonth'] },
  ];
};

const userPool: Estimator = (_, { usage }) => [{ service: 'cognito', price: 'mau', quantity: usage.get('cognitoMonthlyActiveUsers'), description: 'monthly active users', usage: ['cognitoMonthlyActiveUsers'] }];

const amplifyApp: Estimator = (_, { usage }) => [
  { service: 'amplify', price: 'build-minute', quantity: usage.get('amplifyBuildMinutesPerMonth'), description: 'build minutes', usage: ['amplifyBuildMinutesPerMonth'] },
  { service: 'amplify', price: 'gb-stored', quantity: usage.get('amplifyGbStored'), description: 'storage', usage: ['amplifyGbStored'] },
  { service: 'amplify', price: 'gb-served', quantity: usage.get('amplifyGbServed'), description: 'data served', usage: ['amplifyGbServed'] },
];

export const webEstimators: Record<string, Estimator> = {
  'AWS::ApiGateway::RestApi': restApi,
  'AWS::ApiGatewayV2::Api': apiV2,
  'AWS::CloudFront::Distribution': distribution,
  'AWS::WAFv2::WebACL': webAcl,
  'AWS::Cognito::UserPool': userPool,
  'AWS::Amplify::App': amplifyApp,
};
