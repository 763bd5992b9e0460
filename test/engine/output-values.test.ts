import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, eventLines, openEngine, outputsOf, stackOf, update, type Harness } from './engine-harness.ts';

const topic = { T: { Type: 'AWS::SNS::Topic', Properties: {} } };

describe('stack outputs: what DescribeStacks reports', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('reports a list as its comma-joined items, an object as JSON, a number as its digits, a string as it is', async () => {
    const template = {
      Resources: topic,
      Outputs: {
        Listed: { Value: { 'Fn::Split': [',', 'a,b,c'] } },
        Single: { Value: { 'Fn::Split': [',', 'alone'] } },
        Shape: { Value: { Name: { Ref: 'AWS::StackName' }, Size: 2 } },
        Count: { Value: 42 },
        Plain: { Value: 'as-is' },
      },
    };
    assert.equal(await deploy(h.engine, 'values', template), 'CREATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'values'), { Listed: 'a,b,c', Single: 'alone', Shape: '{"Name":"values","Size":2}', Count: '42', Plain: 'as-is' });
  });

  it('leaves out an output whose Condition is false and keeps one whose Condition is true', async () => {
    const template = {
      Parameters: { Env: { Type: 'String', Default: 'dev' } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, IsDev: { 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] } },
      Resources: topic,
      Outputs: { ProdOnly: { Condition: 'IsProd', Value: 'p' }, DevOnly: { Condition: 'IsDev', Value: 'd' }, Always: { Value: 'a' } },
    };
    assert.equal(await deploy(h.engine, 'conditional', template), 'CREATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'conditional'), { DevOnly: 'd', Always: 'a' });
    assert.equal(await update(h.engine, 'conditional', template, { Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }] }), 'UPDATE_COMPLETE');
    assert.deepEqual(await outputsOf(h.engine, 'conditional'), { ProdOnly: 'p', Always: 'a' });
  });

  it('reports the Description given, none when the template gives none, and the evaluated export name', async () => {
    const template = {
      Resources: topic,
      Outputs: {
        Described: { Description: 'the topic arn', Value: { Ref: 'T' }, Export: { Name: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'Arn']] } } },
        Bare: { Value: 'b' },
      },
    };
    assert.equal(await deploy(h.engine, 'described', template), 'CREATE_COMPLETE');
    const outputs = (await stackOf(h.engine, 'described')).Outputs!.map((o) => [o.OutputKey, o.Description, o.ExportName]);
    assert.deepEqual(outputs.sort(), [
      ['Bare', undefined, undefined],
      ['Described', 'the topic arn', 'described-Arn'],
    ]);
    const { Exports } = await h.engine.listExports({});
    assert.deepEqual(Exports!.filter((e) => e.Name === 'described-Arn').length, 1);
  });

  it('fails the create, naming the output, when its Value evaluates to nothing', async () => {
    const template = {
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
      Resources: topic,
      Outputs: { Maybe: { Value: { 'Fn::If': ['Never', 'x', { Ref: 'AWS::NoValue' }] } } },
    };
    assert.equal(await deploy(h.engine, 'novalue', template), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'novalue', true);
    assert.ok(
      lines.some((l) => l.includes('Template format error: Every Outputs member must contain a Value object, the Output Maybe is missing the Value')),
      lines.join('\n'),
    );
  });

  it('refuses two outputs of one template exporting the same name', async () => {
    const template = {
      Resources: topic,
      Outputs: { A: { Value: 'a', Export: { Name: 'twice' } }, B: { Value: 'b', Export: { Name: 'twice' } } },
    };
    assert.equal(await deploy(h.engine, 'twice', template), 'ROLLBACK_COMPLETE');
    const lines = await eventLines(h.engine, 'twice', true);
    assert.ok(lines.some((l) => l.includes('Template error: the export name twice is used by more than one output')), lines.join('\n'));
    assert.deepEqual((await h.engine.listExports({})).Exports!.filter((e) => e.Name === 'twice'), []);
  });
});

describe('stack outputs: exports nobody imports, and exports imported by several stacks', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const exporter = (value: string, name = 'base-Value') => ({ Resources: topic, Outputs: { Out: { Value: value, Export: { Name: name } }, Other: { Value: 'o' } } });
  const importer = { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::ImportValue': 'base-Value' } } } } };

  it('an export nobody imports can change its value, move to another name, and go with its stack', async () => {
    assert.equal(await deploy(h.engine, 'loner', exporter('one', 'loner-Value')), 'CREATE_COMPLETE');
    assert.equal(await update(h.engine, 'loner', exporter('two', 'loner-Value')), 'UPDATE_COMPLETE');
    assert.equal(await update(h.engine, 'loner', exporter('two', 'loner-Renamed')), 'UPDATE_COMPLETE');
    assert.deepEqual((await h.engine.listExports({})).Exports!.map((e) => [e.Name, e.Value]), [['loner-Renamed', 'two']]);
    await h.engine.deleteStack({ StackName: 'loner' });
    await h.engine.settled();
    assert.deepEqual((await h.engine.listExports({})).Exports, []);
  });

  it('names every importer when an export in use would change or go', async () => {
    assert.equal(await deploy(h.engine, 'base', exporter('v1')), 'CREATE_COMPLETE');
    assert.equal(await deploy(h.engine, 'user-a', importer), 'CREATE_COMPLETE');
    assert.equal(await deploy(h.engine, 'user-b', importer), 'CREATE_COMPLETE');
    assert.equal(await update(h.engine, 'base', exporter('v2')), 'UPDATE_ROLLBACK_COMPLETE');
    let lines = await eventLines(h.engine, 'base', true);
    assert.ok(lines.includes('base UPDATE_ROLLBACK_IN_PROGRESS Cannot update export base-Value as it is in use by user-a, user-b'), lines.join('\n'));
    assert.equal(await update(h.engine, 'base', { Resources: topic }), 'UPDATE_ROLLBACK_COMPLETE');
    lines = await eventLines(h.engine, 'base', true);
    assert.ok(lines.includes('base UPDATE_ROLLBACK_IN_PROGRESS Export base-Value cannot be deleted as it is in use by user-a, user-b'), lines.join('\n'));
    await h.engine.deleteStack({ StackName: 'base' });
    await h.engine.settled();
    assert.equal((await stackOf(h.engine, 'base')).StackStatusReason, 'Export base-Value cannot be deleted as it is in use by user-a, user-b');
    // The value unchanged, other outputs changed: the importers are not affected.
    assert.equal(await update(h.engine, 'base', { ...exporter('v1'), Outputs: { ...exporter('v1').Outputs, Other: { Value: 'changed' } } }), 'UPDATE_COMPLETE');
    assert.equal((await outputsOf(h.engine, 'base')).Other, 'changed');
  });
});
