import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudFormationClient, CreateChangeSetCommand, type CreateChangeSetCommandInput } from '@aws-sdk/client-cloudformation';
import { cloudFormationShapes } from '../../src/emulator/cloudformation/cloudformation-emulator.ts';
import { decodeQueryInput } from '../../src/emulator/cloudformation/query-decoder.ts';
import { encodeQueryResponse } from '../../src/emulator/cloudformation/xml-encoder.ts';
import { LOCAL_CREDENTIALS } from '../../src/emulator/local-aws.ts';

function parameters(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

describe('CloudFormation awsQuery decoding', () => {
  it('rebuilds nested lists, structures, numbers, booleans and empty lists from a form body', () => {
    const body =
      'Action=CreateStack&Version=2010-05-15&StackName=network&TemplateURL=https%3A%2F%2Fbucket.s3.amazonaws.com%2Fnetwork.yaml' +
      '&Parameters.member.1.ParameterKey=Env&Parameters.member.1.ParameterValue=dev' +
      '&Parameters.member.2.ParameterKey=Cidr&Parameters.member.2.UsePreviousValue=true' +
      '&Capabilities.member.1=CAPABILITY_IAM&Capabilities.member.2=CAPABILITY_NAMED_IAM' +
      '&Tags.member.1.Key=team&Tags.member.1.Value=net%20%26%20ops' +
      '&RollbackConfiguration.RollbackTriggers.member.1.Arn=arn%3Aaws%3Acloudwatch%3Aus-east-1%3A1%3Aalarm%3Ahigh&RollbackConfiguration.RollbackTriggers.member.1.Type=AWS%3A%3ACloudWatch%3A%3AAlarm' +
      '&RollbackConfiguration.MonitoringTimeInMinutes=5&TimeoutInMinutes=30&DisableRollback=false&NotificationARNs=&UnknownField=ignored';
    assert.deepEqual(decodeQueryInput(cloudFormationShapes('CreateStack').input, parameters(body)), {
      StackName: 'network',
      TemplateURL: 'https://bucket.s3.amazonaws.com/network.yaml',
      Parameters: [
        { ParameterKey: 'Env', ParameterValue: 'dev' },
        { ParameterKey: 'Cidr', UsePreviousValue: true },
      ],
      DisableRollback: false,
      RollbackConfiguration: { RollbackTriggers: [{ Arn: 'arn:aws:cloudwatch:us-east-1:1:alarm:high', Type: 'AWS::CloudWatch::Alarm' }], MonitoringTimeInMinutes: 5 },
      TimeoutInMinutes: 30,
      NotificationARNs: [],
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      Tags: [{ Key: 'team', Value: 'net & ops' }],
    });
  });

  it('inverts what the SDK itself serializes', async () => {
    const input: CreateChangeSetCommandInput = {
      StackName: 'storage',
      ChangeSetName: 'deploy-42',
      ChangeSetType: 'CREATE',
      TemplateBody: 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n',
      Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'prod' }],
      Capabilities: ['CAPABILITY_AUTO_EXPAND'],
      Tags: [{ Key: 'owner', Value: 'platform' }],
      IncludeNestedStacks: true,
      ResourcesToImport: [{ ResourceType: 'AWS::S3::Bucket', LogicalResourceId: 'Bucket', ResourceIdentifier: { BucketName: 'existing-bucket' } }],
      Description: 'ünïcode & <markup>',
    };
    const client = new CloudFormationClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    let body = '';
    client.middlewareStack.add(
      () => async (args) => {
        body = String((args.request as { body: unknown }).body);
        throw new Error('captured');
      },
      { step: 'build', priority: 'low' },
    );
    await assert.rejects(client.send(new CreateChangeSetCommand(input)), { message: 'captured' });
    const decoded = decodeQueryInput(cloudFormationShapes('CreateChangeSet').input, parameters(body));
    assert.equal(decoded.ClientToken, undefined);
    assert.deepEqual(decoded, input);
  });
});

describe('CloudFormation XML encoding', () => {
  it('writes DescribeStacks in AWS reply shape: members in model order, nested structures, dates and booleans', () => {
    const xml = encodeQueryResponse(
      'DescribeStacks',
      cloudFormationShapes('DescribeStacks').output,
      {
        Stacks: [
          {
            StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/network/abc',
            StackName: 'network',
            Parameters: [{ ParameterKey: 'Env', ParameterValue: 'dev' }],
            CreationTime: new Date('2024-05-01T10:00:00.000Z'),
            StackStatus: 'CREATE_COMPLETE',
            DisableRollback: false,
            Capabilities: [],
            Outputs: [{ OutputKey: 'VpcId', OutputValue: 'vpc-1', ExportName: 'network-VpcId' }],
            Tags: [{ Key: 'a&b', Value: '<v>' }],
            EnableTerminationProtection: true,
            DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
            NotAModelField: 'dropped',
          },
        ],
      },
      'req-1',
    );
    assert.equal(
      xml,
      `<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member>` +
        '<StackName>network</StackName><CreationTime>2024-05-01T10:00:00.000Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>' +
        '<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/network/abc</StackId>' +
        '<Parameters><member><ParameterKey>Env</ParameterKey><ParameterValue>dev</ParameterValue></member></Parameters><DisableRollback>false</DisableRollback>' +
        '<Capabilities/><Outputs><member><OutputKey>VpcId</OutputKey><OutputValue>vpc-1</OutputValue><ExportName>network-VpcId</ExportName></member></Outputs>' +
        '<Tags><member><Key>a&amp;b</Key><Value>&lt;v&gt;</Value></member></Tags><EnableTerminationProtection>true</EnableTerminationProtection>' +
        '<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>' +
        '</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeStacksResponse>',
    );
  });

  it('writes change set changes with their resource change details and targets', () => {
    const xml = encodeQueryResponse(
      'DescribeChangeSet',
      cloudFormationShapes('DescribeChangeSet').output,
      {
        ChangeSetName: 'cs',
        Changes: [
          {
            Type: 'Resource',
            ResourceChange: {
              Action: 'Modify',
              LogicalResourceId: 'Table',
              ResourceType: 'AWS::DynamoDB::Table',
              Replacement: 'True',
              Scope: ['Properties'],
              Details: [{ Target: { Attribute: 'Properties', Name: 'KeySchema', RequiresRecreation: 'Always' }, Evaluation: 'Static', ChangeSource: 'DirectModification' }],
            },
          },
        ],
        Status: 'CREATE_COMPLETE',
      },
      'req-2',
    );
    assert.equal(
      xml,
      `<DescribeChangeSetResponse xmlns="${NS}"><DescribeChangeSetResult><ChangeSetName>cs</ChangeSetName><Status>CREATE_COMPLETE</Status>` +
        '<Changes><member><Type>Resource</Type><ResourceChange><Action>Modify</Action><LogicalResourceId>Table</LogicalResourceId>' +
        '<ResourceType>AWS::DynamoDB::Table</ResourceType><Replacement>True</Replacement><Scope><member>Properties</member></Scope>' +
        '<Details><member><Target><Attribute>Properties</Attribute><Name>KeySchema</Name><RequiresRecreation>Always</RequiresRecreation></Target>' +
        '<Evaluation>Static</Evaluation><ChangeSource>DirectModification</ChangeSource></member></Details></ResourceChange></member></Changes>' +
        '</DescribeChangeSetResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DescribeChangeSetResponse>',
    );
  });

  it('writes no Result element for actions without output', () => {
    assert.equal(
      encodeQueryResponse('DeleteStack', cloudFormationShapes('DeleteStack').output, {}, 'req-3'),
      `<DeleteStackResponse xmlns="${NS}"><ResponseMetadata><RequestId>req-3</RequestId></ResponseMetadata></DeleteStackResponse>`,
    );
  });
});
