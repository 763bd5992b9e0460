import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddTagsToResourceCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  UnlabelParameterVersionCommand,
  type DescribeParametersCommandInput,
  type GetParametersByPathCommandInput,
  type ParameterStringFilter,
} from '@aws-sdk/client-ssm';
import { LocalAws } from '../../src/emulator/local-aws.ts';

// Shapes, limits and errors below are those of the SSM API reference:
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html (MaxResults 1-10)
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html (MaxResults 1-50)
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html (keys and options per action)
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameterHistory.html (MaxResults 1-50)
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_LabelParameterVersion.html (label rules)
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html (ResourceType Parameter, 50 tags)

describe('SSM data-plane calls through the SDK', () => {
  let local: LocalAws;
  let ssm: SSMClient;

  before(async () => {
    local = await LocalAws.open({ accountId: '123456789012', region: 'us-east-1' });
    ssm = new SSMClient(local.clientConfig());
    const put = (Name: string, Value: string, extra: Partial<PutParameterCommand['input']> = {}) => ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', ...extra }));
    await put('/app/name', 'shop');
    await put('/app/db/host', 'db.internal', { Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'data' }] });
    await put('/app/db/port', '5432', { Tags: [{ Key: 'env', Value: 'staging' }] });
    await put('/app/db/password', 'hunter2', { Type: 'SecureString', KeyId: 'alias/app' });
    await put('/app/api/url', 'https://api.internal');
    await put('/app/api/zones', 'a,b', { Type: 'StringList', Tier: 'Advanced' });
    await put('/other/flag', 'on');
    await put('plain-name', 'top');
  });
  after(() => local.close());

  async function allByPath(input: GetParametersByPathCommandInput): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const reply = await ssm.send(new GetParametersByPathCommand({ ...input, NextToken: token }));
      assert.ok((reply.Parameters ?? []).length <= (input.MaxResults ?? 10), 'a page holds at most MaxResults');
      names.push(...(reply.Parameters ?? []).map((p) => p.Name!));
      token = reply.NextToken;
      assert.ok(++pages < 100, 'pagination ends');
    } while (token);
    return names;
  }

  async function described(input: DescribeParametersCommandInput): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const reply = await ssm.send(new DescribeParametersCommand({ ...input, NextToken: token }));
      names.push(...(reply.Parameters ?? []).map((p) => p.Name!));
      token = reply.NextToken;
    } while (token);
    return names;
  }

  it('GetParametersByPath: one level by default, the whole hierarchy with Recursive, a page at a time', async () => {
    assert.deepEqual(await allByPath({ Path: '/app' }), ['/app/name']);
    assert.deepEqual(await allByPath({ Path: '/app/db/' }), ['/app/db/host', '/app/db/password', '/app/db/port']);
    const everything = ['/app/api/url', '/app/api/zones', '/app/db/host', '/app/db/password', '/app/db/port', '/app/name'];
    assert.deepEqual(await allByPath({ Path: '/app', Recursive: true }), everything);
    assert.deepEqual(await allByPath({ Path: '/app', Recursive: true, MaxResults: 2 }), everything);
    assert.deepEqual(await allByPath({ Path: '/missing', Recursive: true }), []);
    await assert.rejects(ssm.send(new GetParametersByPathCommand({ Path: '/app', MaxResults: 11 })), { name: 'ValidationException' });
  });

  it('GetParametersByPath: values as GetParameter gives them, SecureStrings decrypted only on request', async () => {
    const hidden = (await ssm.send(new GetParametersByPathCommand({ Path: '/app/db' }))).Parameters!;
    const password = hidden.find((p) => p.Name === '/app/db/password')!;
    assert.notEqual(password.Value, 'hunter2');
    assert.equal(password.Type, 'SecureString');
    assert.equal(password.ARN, 'arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password');
    assert.equal(hidden.find((p) => p.Name === '/app/db/host')?.Value, 'db.internal');
    const shown = (await ssm.send(new GetParametersByPathCommand({ Path: '/app/db', WithDecryption: true }))).Parameters!;
    assert.equal(shown.find((p) => p.Name === '/app/db/password')?.Value, 'hunter2');
  });

  it('GetParametersByPath: filters by Type and KeyId; Name, Path, Tier, DataType and tags are not its filters', async () => {
    const secure = await allByPath({ Path: '/app', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }] });
    assert.deepEqual(secure, ['/app/db/password']);
    assert.deepEqual(await allByPath({ Path: '/app', Recursive: true, ParameterFilters: [{ Key: 'KeyId', Option: 'Equals', Values: ['alias/app'] }] }), ['/app/db/password']);
    for (const Key of ['Name', 'Path', 'Tier', 'DataType', 'tag:env']) {
      await assert.rejects(ssm.send(new GetParametersByPathCommand({ Path: '/app', ParameterFilters: [{ Key, Values: ['x'] }] })), { name: 'InvalidFilterKey' }, Key);
    }
    await assert.rejects(ssm.send(new GetParametersByPathCommand({ Path: '/app', ParameterFilters: [{ Key: 'Label', Option: 'BeginsWith', Values: ['x'] }] })), { name: 'InvalidFilterOption' });
  });

  it('DescribeParameters: filters by Name, Type, KeyId, Tier, Path and tags, with their options', async () => {
    const by = (...ParameterFilters: ParameterStringFilter[]) => described({ ParameterFilters });
    assert.deepEqual(await by({ Key: 'Name', Option: 'BeginsWith', Values: ['/app/db'] }), ['/app/db/host', '/app/db/password', '/app/db/port']);
    assert.deepEqual(await by({ Key: 'Name', Option: 'Contains', Values: ['zone', 'flag'] }), ['/app/api/zones', '/other/flag']);
    assert.deepEqual(await by({ Key: 'Name', Values: ['plain-name'] }), ['plain-name']);
    assert.deepEqual(await by({ Key: 'Type', Values: ['StringList', 'SecureString'] }), ['/app/api/zones', '/app/db/password']);
    assert.deepEqual(await by({ Key: 'KeyId', Values: ['alias/app'] }), ['/app/db/password']);
    assert.deepEqual(await by({ Key: 'Tier', Values: ['Advanced'] }), ['/app/api/zones']);
    assert.deepEqual(await by({ Key: 'Path', Values: ['/app'] }), ['/app/name']);
    assert.deepEqual(await by({ Key: 'Path', Option: 'OneLevel', Values: ['/app/api'] }), ['/app/api/url', '/app/api/zones']);
    assert.deepEqual(await by({ Key: 'Path', Option: 'Recursive', Values: ['/app/db', '/other'] }), ['/app/db/host', '/app/db/password', '/app/db/port', '/other/flag']);
    assert.deepEqual(await by({ Key: 'tag:env', Values: ['prod'] }), ['/app/db/host']);
    assert.deepEqual(await by({ Key: 'tag:env', Option: 'BeginsWith', Values: ['sta'] }), ['/app/db/port']);
    // A tag filter without values: the parameters that carry the key.
    assert.deepEqual(await by({ Key: 'tag:env' }), ['/app/db/host', '/app/db/port']);
    // Filters combine with AND.
    assert.deepEqual(await by({ Key: 'Path', Option: 'Recursive', Values: ['/app'] }, { Key: 'tag:team', Values: ['data'] }), ['/app/db/host']);
    // The older Filters list (Name, Type, KeyId) still works.
    assert.deepEqual(await described({ Filters: [{ Key: 'Type', Values: ['SecureString'] }] }), ['/app/db/password']);
  });

  it('DescribeParameters: refuses what AWS refuses', async () => {
    const refused = (input: DescribeParametersCommandInput, name: string) => assert.rejects(ssm.send(new DescribeParametersCommand(input)), { name }, JSON.stringify(input));
    // "For DescribeParameters, all of the listed patterns are valid except Label" (API_ParameterStringFilter).
    await refused({ ParameterFilters: [{ Key: 'Label', Values: ['Production'] }] }, 'InvalidFilterKey');
    await refused({ ParameterFilters: [{ Key: 'Type', Option: 'Contains', Values: ['String'] }] }, 'InvalidFilterOption');
    await refused({ ParameterFilters: [{ Key: 'Path', Option: 'Equals', Values: ['/app'] }] }, 'InvalidFilterOption');
    await refused({ ParameterFilters: [{ Key: 'Type', Values: ['Number'] }] }, 'InvalidFilterValue');
    await refused({ ParameterFilters: [{ Key: 'Path', Values: ['app'] }] }, 'InvalidFilterValue');
    await refused({ ParameterFilters: [{ Key: 'Nonsense', Values: ['x'] }] }, 'ValidationException');
    await refused({ Filters: [{ Key: 'Name', Values: ['x'] }], ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }, 'ValidationException');
    await refused({ MaxResults: 51 }, 'ValidationException');
    await refused({ NextToken: 'not-a-token' }, 'InvalidNextToken');
  });

  it('DescribeParameters: metadata of the latest version, no value', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/db/password', Value: 'hunter3', Overwrite: true, KeyId: 'alias/app', Description: 'db password' }));
    const [password] = (await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/db/password'] }] }))).Parameters!;
    assert.equal(password.Version, 2);
    assert.equal(password.Type, 'SecureString');
    assert.equal(password.KeyId, 'alias/app');
    assert.equal(password.Description, 'db password');
    assert.equal(password.Tier, 'Standard');
    assert.equal(password.DataType, 'text');
    assert.equal(password.ARN, 'arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password');
    assert.ok(password.LastModifiedDate instanceof Date);
    assert.equal(password.LastModifiedUser, 'arn:aws:iam::123456789012:user/stackpilot-local');
    assert.equal((password as Record<string, unknown>).Value, undefined);
  });

  it('GetParameterHistory: every version in order with its labels, a page at a time, SecureStrings decrypted on request', async () => {
    const Name = '/history/token';
    for (const Value of ['t1', 't2', 't3']) await ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: Value !== 't1' }));
    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 2, Labels: ['Production'] }));
    const first = await ssm.send(new GetParameterHistoryCommand({ Name, MaxResults: 2, WithDecryption: true }));
    assert.deepEqual(first.Parameters?.map((p) => [p.Version, p.Value, p.Labels]), [[1, 't1', []], [2, 't2', ['Production']]]);
    assert.ok(first.NextToken);
    const second = await ssm.send(new GetParameterHistoryCommand({ Name, MaxResults: 2, WithDecryption: true, NextToken: first.NextToken }));
    assert.deepEqual(second.Parameters?.map((p) => [p.Version, p.Value]), [[3, 't3']]);
    assert.equal(second.NextToken, undefined);
    const hidden = await ssm.send(new GetParameterHistoryCommand({ Name }));
    assert.deepEqual(hidden.Parameters?.map((p) => p.Version), [1, 2, 3]);
    assert.ok(hidden.Parameters.every((p) => !['t1', 't2', 't3'].includes(p.Value!) && p.Type === 'SecureString' && p.KeyId === 'alias/aws/ssm'));
    await assert.rejects(ssm.send(new GetParameterHistoryCommand({ Name: '/history/missing' })), { name: 'ParameterNotFound' });
    await assert.rejects(ssm.send(new GetParameterHistoryCommand({ Name, MaxResults: 51 })), { name: 'ValidationException' });
  });

  it('LabelParameterVersion: labels select a version, move between versions, and bad ones come back as InvalidLabels', async () => {
    const Name = '/labels/endpoint';
    for (const Value of ['v1', 'v2', 'v3']) await ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', Overwrite: Value !== 'v1' }));
    const labelled = await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 1, Labels: ['Production', 'Blue'] }));
    assert.deepEqual([labelled.ParameterVersion, labelled.InvalidLabels], [1, []]);
    const production = (await ssm.send(new GetParameterCommand({ Name: `${Name}:Production` }))).Parameter!;
    assert.deepEqual([production.Value, production.Version, production.Selector], ['v1', 1, ':Production']);

    // Without a version, the latest; Production moves there and leaves version 1, which keeps Blue.
    const moved = await ssm.send(new LabelParameterVersionCommand({ Name, Labels: ['Production'] }));
    assert.equal(moved.ParameterVersion, 3);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: `${Name}:Production` }))).Parameter?.Value, 'v3');
    const history = (await ssm.send(new GetParameterHistoryCommand({ Name }))).Parameters!;
    assert.deepEqual(history.map((p) => p.Labels), [['Blue'], [], ['Production']]);

    const bad = ['1st', 'awsLabel', 'SSM-label', 'has space', 'x'.repeat(101)];
    const mixed = await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 2, Labels: ['Green', ...bad] }));
    assert.deepEqual(mixed.InvalidLabels, bad);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: `${Name}:Green` }))).Parameter?.Version, 2);
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: `${Name}:awsLabel` })), { name: 'ParameterVersionNotFound' });

    await assert.rejects(ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 9, Labels: ['Later'] })), { name: 'ParameterVersionNotFound' });
    await assert.rejects(ssm.send(new LabelParameterVersionCommand({ Name: '/labels/missing', Labels: ['Later'] })), { name: 'ParameterNotFound' });

    const unlabelled = await ssm.send(new UnlabelParameterVersionCommand({ Name, ParameterVersion: 2, Labels: ['Green', 'Blue'] }));
    assert.deepEqual([unlabelled.RemovedLabels, unlabelled.InvalidLabels], [['Green'], ['Blue']]);
  });

  it('LabelParameterVersion: at most 10 labels on a version, and 10 in one call', async () => {
    const Name = '/labels/crowded';
    await ssm.send(new PutParameterCommand({ Name, Value: 'v', Type: 'String' }));
    const ten = Array.from({ length: 10 }, (_, i) => `label-${i}`);
    assert.deepEqual((await ssm.send(new LabelParameterVersionCommand({ Name, Labels: ten }))).InvalidLabels, []);
    await assert.rejects(ssm.send(new LabelParameterVersionCommand({ Name, Labels: ['eleventh'] })), { name: 'ParameterVersionLabelLimitExceeded' });
    // Labels already on the version are not counted twice.
    assert.deepEqual((await ssm.send(new LabelParameterVersionCommand({ Name, Labels: ['label-0'] }))).InvalidLabels, []);
    await assert.rejects(ssm.send(new LabelParameterVersionCommand({ Name, Labels: [...ten, 'eleventh'] })), { name: 'ValidationException' });
    assert.equal((await ssm.send(new GetParameterHistoryCommand({ Name }))).Parameters?.[0].Labels?.length, 10);
  });

  it('tags on Parameter resources: added (a key takes its new value), listed, removed', async () => {
    const tags = async () => (await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/host' }))).TagList;
    assert.deepEqual(await tags(), [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'data' }]);
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/host', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'ana' }] }));
    assert.deepEqual(await tags(), [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'data' }, { Key: 'owner', Value: 'ana' }]);
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/host', TagKeys: ['team', 'absent'] }));
    assert.deepEqual(await tags(), [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'ana' }]);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'tag:owner', Values: ['ana'] }] }), ['/app/db/host']);

    await assert.rejects(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/none' })), { name: 'InvalidResourceId' });
    await assert.rejects(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: '/app/db/host' })), { name: 'InvalidResourceType' });
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await assert.rejects(ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/host', Tags: many })), { name: 'TooManyTagsError' });
    assert.equal((await tags())?.length, 2, 'a refused call changes nothing');
    await assert.rejects(ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/host', Tags: [] })), { name: 'ValidationException' });
    await assert.rejects(ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/host', TagKeys: [] })), { name: 'ValidationException' });
    assert.equal((await tags())?.length, 2, 'an empty list is refused and changes nothing');
  });

  it('AllowedPattern: kept with the version, a value that does not match it wholly refused, in linear time', async () => {
    const Name = '/app/retries';
    await ssm.send(new PutParameterCommand({ Name, Value: '12', Type: 'String', AllowedPattern: '\\d+' }));
    const described = async () => (await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [Name] }] }))).Parameters?.[0];
    assert.equal((await described())?.AllowedPattern, '\\d+');
    assert.equal((await ssm.send(new GetParameterHistoryCommand({ Name }))).Parameters?.[0].AllowedPattern, '\\d+');
    for (const Value of ['12a', 'a12', ' ']) {
      await assert.rejects(ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', Overwrite: true, AllowedPattern: '\\d+' })), {
        name: 'ParameterPatternMismatchException',
        message: 'Parameter value, cannot be validated against allowedPattern: \\d+',
      });
    }
    assert.equal((await ssm.send(new GetParameterCommand({ Name }))).Parameter?.Value, '12', 'a refused value leaves the parameter as it was');
    // A pattern a backtracking engine takes exponential time on: refused at once.
    await assert.rejects(ssm.send(new PutParameterCommand({ Name: '/app/hostile', Value: `${'a'.repeat(40)}b`, Type: 'String', AllowedPattern: '^(a|a)*$' })), { name: 'ParameterPatternMismatchException' });
    await assert.rejects(ssm.send(new PutParameterCommand({ Name: '/app/broken', Value: 'x', Type: 'String', AllowedPattern: '(' })), { name: 'ValidationException' });
    await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/app/hostile' })), { name: 'ParameterNotFound' });
  });
});
