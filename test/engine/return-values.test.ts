import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployProject } from '../../src/deploy/deploy.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { customName } from '../../src/engine/resources/physical-ids.ts';
import { RETURN_VALUES } from '../../src/engine/resources/return-values.ts';
import { matchesForm } from '../../src/engine/resources/value-forms.ts';
import { templatesInFolder } from '../../src/project/project.ts';
import { isCustomResourceType, isNestedStackType, resourceFacts, type PropertyType } from '../../src/spec/resource-facts.ts';
import { describeTemplate } from '../../src/template/model.ts';
import { parseTemplate } from '../../src/template/parse.ts';
import { copyExample, CORPUS, EXAMPLES_DAY, REPO } from '../helpers.ts';

/**
 * The "Return values" of every type the examples and the deployable corpus templates use, as the
 * AWS CloudFormation resource reference documents them: one page per type,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/<page>.html (the page name is in
 * src/engine/resources/return-values.ts; sources at awsdocs/aws-cloudformation-user-guide
 * @6c68a17aef7f0ccd1f6786f19da341d8c92737e7, doc_source/<page>.md).
 */
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const facts = resourceFacts();

/** Every resource type of the examples and of the corpus templates the engine deploys. */
function typesInUse(): Set<string> {
  const types = new Set<string>();
  for (const [root, corpus] of [[CORPUS, true], [join(REPO, 'examples'), false]] as const) {
    for (const file of templatesInFolder(root)) {
      const template = parseTemplate(readFileSync(file, 'utf8'), file);
      if (!template.body || (corpus && template.problems.length > 0)) continue;
      const model = describeTemplate(template.body);
      if (corpus && (model.transforms.length > 0 || [...model.parameters.values()].some((p) => p.default === undefined))) continue;
      for (const r of model.resources.values()) if (r.type.startsWith('AWS::') && !isNestedStackType(r.type)) types.add(r.type);
    }
  }
  return types;
}

/** A value of a property's type, for properties a resource must have. */
function sample(type: PropertyType, depth = 0): unknown {
  switch (type.kind) {
    case 'string': return 'sample';
    case 'integer': case 'number': return 1;
    case 'boolean': return true;
    case 'json': case 'map': return {};
    case 'tag': return { Key: 'k', Value: 'v' };
    case 'list': return [sample(type.element, depth + 1)];
    case 'union': return sample(type.types[0], depth);
    case 'shape': {
      if (depth > 4) return {};
      const shape = facts.shape(type.shape);
      return Object.fromEntries(Object.entries(shape.properties).filter(([, p]) => p.required).map(([k, p]) => [k, sample(p.type, depth + 1)]));
    }
  }
}

/** Properties whose values the return values read, set as a template would. */
const GIVEN: Record<string, Record<string, unknown>> = {
  'AWS::ApiGateway::Stage': { StageName: 'development' },
  'AWS::ApiGatewayV2::Stage': { StageName: 'production' },
  'AWS::ApiGatewayV2::Api': { ProtocolType: 'WEBSOCKET' },
  'AWS::DynamoDB::Table': { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamViewType: 'NEW_IMAGE' } },
  'AWS::EC2::VPC': { CidrBlock: '10.0.0.0/16' },
  'AWS::EC2::Subnet': { CidrBlock: '10.0.1.0/24', VpcId: 'vpc-0123456789abcdef0' },
  'AWS::EC2::SecurityGroup': { VpcId: 'vpc-0123456789abcdef0' },
  'AWS::EC2::Route': { DestinationCidrBlock: '0.0.0.0/0' },
  'AWS::ElasticLoadBalancingV2::Listener': { LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { SecurityGroups: ['sg-0123456789abcdef0'] },
  'AWS::RDS::DBCluster': { Engine: 'aurora-postgresql' },
  'AWS::RDS::DBInstance': { Engine: 'postgres' },
  'AWS::SNS::Subscription': { TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' },
  'AWS::XRay::Group': { GroupName: 'concert-traces' },
  'AWS::WAFv2::WebACL': { Name: 'edge', Scope: 'CLOUDFRONT' },
  'AWS::SecretsManager::Secret': { Name: 'app/db-password' },
  'AWS::SQS::Queue': { FifoQueue: true },
};

function propertiesFor(type: string): Record<string, unknown> {
  const required = Object.entries(facts.resource(type)!.properties).filter(([, p]) => p.required);
  return { ...Object.fromEntries(required.map(([name, p]) => [name, sample(p.type)])), ...GIVEN[type] };
}

/** List-valued forms are read through Fn::Join, since an output is a string. */
const isList = (form: string) => form.startsWith('[') && form.endsWith(']');
const LIST_ATTRIBUTES = new Set(['SecurityGroups']);
const readBack = (form: string, name: string, text: string): unknown => (isList(form) || LIST_ATTRIBUTES.has(name) ? (text === '' ? [] : text.split(',')) : text);

describe('Ref and Fn::GetAtt values, as the AWS documentation gives them', () => {
  let local: LocalAws;
  let cfn: CloudFormationClient;
  before(async () => {
    local = await LocalAws.open({ accountId: ACCOUNT, region: REGION });
    cfn = new CloudFormationClient(local.clientConfig(REGION));
  });
  after(async () => {
    cfn.destroy();
    await local.close();
  });

  it('has a documented form for every resource type the examples and the deployed corpus use', () => {
    const missing = [...typesInUse()].filter((t) => !isCustomResourceType(t) && !RETURN_VALUES[t]);
    assert.deepEqual(missing, []);
  });

  it('lists only attributes that Fn::GetAtt accepts', () => {
    const unknown = Object.entries(RETURN_VALUES).flatMap(([type, values]) => Object.keys(values.attributes).filter((a) => !facts.resource(type)?.attributes.includes(a)).map((a) => `${type}.${a}`));
    assert.deepEqual(unknown, []);
  });

  it('tells a value of the wrong form: a generated id for a stage name, a placeholder for an ARN, a wrong account', () => {
    const at = { region: REGION, accountId: ACCOUNT, stackName: 'app', logicalId: 'Probe', properties: { StageName: 'development', GroupName: 'traces' }, ref: '' };
    assert.equal(matchesForm(RETURN_VALUES['AWS::ApiGateway::Stage'].ref, 'app-Probe-ZIECZFT5BU0X', at), false);
    assert.equal(matchesForm(RETURN_VALUES['AWS::ApiGateway::Stage'].ref, 'development', at), true);
    assert.equal(matchesForm(RETURN_VALUES['AWS::XRay::Group'].ref, 'app-Probe-GTYNAR2NPYUI-GroupARN', at), false);
    assert.equal(matchesForm(RETURN_VALUES['AWS::XRay::Group'].ref, `arn:aws:xray:us-east-1:111122223333:group/traces/${'A'.repeat(52)}`, at), false);
    assert.equal(matchesForm(RETURN_VALUES['AWS::XRay::Group'].ref, `arn:aws:xray:us-east-1:123456789012:group/traces/${'A'.repeat(52)}`, at), true);
  });

  it('gives every Ref and documented GetAtt of a deployed resource its documented form', async () => {
    const problems: string[] = [];
    for (const [i, [type, values]] of Object.entries(RETURN_VALUES).entries()) {
      const properties = propertiesFor(type);
      const attributeNames = Object.keys(values.attributes);
      const Outputs: Record<string, unknown> = { Ref: { Value: { Ref: 'Probe' } } };
      attributeNames.forEach((name, j) => {
        const getAtt = { 'Fn::GetAtt': ['Probe', name] };
        Outputs[`A${j}`] = { Value: isList(values.attributes[name]) || LIST_ATTRIBUTES.has(name) ? { 'Fn::Join': [',', getAtt] } : getAtt };
      });
      const stack = `return-values-${i}`;
      const body = JSON.stringify({ Resources: { Probe: { Type: type, Properties: properties } }, Outputs });
      await cfn.send(new CreateStackCommand({ StackName: stack, TemplateBody: body, Capabilities: ['CAPABILITY_NAMED_IAM'] }));
      let described = (await cfn.send(new DescribeStacksCommand({ StackName: stack }))).Stacks![0];
      while (described.StackStatus!.endsWith('_IN_PROGRESS')) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        described = (await cfn.send(new DescribeStacksCommand({ StackName: stack }))).Stacks![0];
      }
      if (described.StackStatus !== 'CREATE_COMPLETE') {
        const failed = (await cfn.send(new DescribeStackEventsCommand({ StackName: stack }))).StackEvents!.find((e) => e.ResourceStatus?.endsWith('_FAILED'));
        problems.push(`${type}: ${described.StackStatus} ${failed?.ResourceStatusReason ?? ''}`);
        continue;
      }
      const outputs = Object.fromEntries((described.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue ?? '']));
      const attributes = Object.fromEntries(attributeNames.map((name, j) => [name, readBack(values.attributes[name], name, outputs[`A${j}`])]));
      const expectation = { region: REGION, accountId: ACCOUNT, stackName: stack, logicalId: 'Probe', properties, name: customName(type, facts.resource(type), properties), ref: outputs.Ref, attributes };
      if (!matchesForm(values.ref, outputs.Ref, expectation)) problems.push(`${type} Ref: ${outputs.Ref} is not ${values.ref}`);
      for (const name of attributeNames) {
        if (!matchesForm(values.attributes[name], attributes[name], expectation)) problems.push(`${type}.${name}: ${JSON.stringify(attributes[name])} is not ${values.attributes[name]}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('names a stage by its StageName and an X-Ray group by an ARN', async () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-stage.html: Ref "returns the name of the stage, such as MyTestStage".
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-xray-group.html: Ref and GroupARN are the group's ARN.
    const body = JSON.stringify({
      Resources: {
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' } },
        Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: 'dev' } },
        Group: { Type: 'AWS::XRay::Group', Properties: { GroupName: 'traces', FilterExpression: 'service("api")' } },
      },
      Outputs: {
        Endpoint: { Value: { 'Fn::Sub': '${Api.ApiEndpoint}/${Stage}' } },
        GroupArn: { Value: { 'Fn::GetAtt': ['Group', 'GroupARN'] } },
      },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'stage-and-group', TemplateBody: body }));
    let described = (await cfn.send(new DescribeStacksCommand({ StackName: 'stage-and-group' }))).Stacks![0];
    while (described.StackStatus!.endsWith('_IN_PROGRESS')) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      described = (await cfn.send(new DescribeStacksCommand({ StackName: 'stage-and-group' }))).Stacks![0];
    }
    const outputs = Object.fromEntries((described.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue]));
    assert.match(outputs.Endpoint!, /^wss:\/\/[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com\/dev$/);
    assert.match(outputs.GroupArn!, /^arn:aws:xray:us-east-1:123456789012:group\/traces\/[A-Z0-9]+$/);
  });
  it('makes ARNs and endpoints in the partition of the region', async () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html: partition aws-cn in the China Regions,
    // whose endpoints end in amazonaws.com.cn.
    const china = new CloudFormationClient(local.clientConfig('cn-north-1'));
    try {
      const body = JSON.stringify({
        Resources: { Topic: { Type: 'AWS::SNS::Topic' }, Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'web', ProtocolType: 'HTTP' } } },
        Outputs: { Topic: { Value: { Ref: 'Topic' } }, Endpoint: { Value: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] } } },
      });
      await china.send(new CreateStackCommand({ StackName: 'china', TemplateBody: body }));
      let described = (await china.send(new DescribeStacksCommand({ StackName: 'china' }))).Stacks![0];
      while (described.StackStatus!.endsWith('_IN_PROGRESS')) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        described = (await china.send(new DescribeStacksCommand({ StackName: 'china' }))).Stacks![0];
      }
      const outputs = Object.fromEntries((described.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue]));
      assert.match(outputs.Topic!, /^arn:aws-cn:sns:cn-north-1:123456789012:china-Topic-[A-Z0-9]{12}$/);
      assert.match(outputs.Endpoint!, /^https:\/\/[a-z0-9]{10}\.execute-api\.cn-north-1\.amazonaws\.com\.cn$/);
    } finally {
      china.destroy();
    }
  });
});

describe('the examples on the local engine', () => {
  it('publishes the concert platform\'s API at the development stage', async () => {
    // 03-compute-application.yaml builds ApiEndpoint as https://${RestApi}.execute-api.${Region}.amazonaws.com/${Stage};
    // Ref of AWS::ApiGateway::Stage is the stage name (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-stage.html).
    const dir = copyExample('concert-platform');
    const report = await deployProject(dir, { target: 'local', concurrency: 4, yes: false, env: 'development', engine: { timeScale: 0.002 } }, () => {});
    assert.equal(report.ok, true);
    const outputs = JSON.parse(readFileSync(report.outputsFiles![0], 'utf8')) as Record<string, Record<string, string>>;
    assert.match(outputs.compute.ApiEndpoint, /^https:\/\/[a-z0-9]{10}\.execute-api\.[a-z0-9-]+\.amazonaws\.com\/development$/);
  });

  it('publishes the collaborative platform\'s WebSocket API at the dev stage', async () => {
    // websocket.yaml: WebSocketApiEndpoint is !Sub ${WebSocketApi.ApiEndpoint}/${Stage}; the Stage's StageName is the environment name.
    // ApiEndpoint of a WebSocket API is wss://{api-id}.execute-api.{region}.amazonaws.com
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-api.html).
    const dir = copyExample('collab-platform');
    const report = await deployProject(dir, { target: 'local', concurrency: 4, yes: false, env: 'dev', today: EXAMPLES_DAY }, () => {});
    assert.equal(report.ok, true);
    const outputs = JSON.parse(readFileSync(report.outputsFiles![0], 'utf8')) as Record<string, Record<string, string>>;
    assert.match(outputs.main.WebSocketApiEndpoint, /^wss:\/\/[a-z0-9]{10}\.execute-api\.[a-z0-9-]+\.amazonaws\.com\/dev$/);
  });
});
