import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { copyExample, runCliAsync } from '../helpers.ts';
import { openFailingEndpoint, type FailingEndpoint } from './failing-endpoint.ts';

const COMPUTE = 'concert-platform-compute-development';
const refused = { code: 'ValidationError', message: 'Template error: instance of Fn::GetAtt references undefined resource ApiGateway' };

describe('an AWS call that fails during a deploy', () => {
  let endpoint: FailingEndpoint;
  before(async () => (endpoint = await openFailingEndpoint()));
  after(() => endpoint.close());

  it('is reported with its stack, call, error and what to do; the stacks after it are not started', async () => {
    endpoint.fail({ call: 'CreateChangeSet', stackName: COMPUTE, ...refused });
    const dir = copyExample('concert-platform');
    const deploy = (...flags: string[]) => runCliAsync(['deploy', dir, '--env', 'development', '--target', 'aws', '--yes', ...flags], { env: endpoint.env });

    const plain = await deploy();
    assert.equal(plain.code, 1, plain.stderr);
    assert.match(plain.stdout, /✔ concert-platform-storage-development {2}CREATE_COMPLETE/);
    assert.match(plain.stdout, new RegExp(`✖ ${COMPUTE} {2}failed in \\d+s; CloudFormation CreateChangeSet failed: ValidationError: ${refused.message}\\n.* {2}AWS refused the call: correct what the message names and run again\\.\\n`));
    for (const stack of ['chatbot', 'monitoring', 'tracing']) assert.match(plain.stdout, new RegExp(`– concert-platform-${stack}-development {2}not started`));
    assert.doesNotMatch(plain.stderr, /internal error/);

    const json = await deploy('--json');
    assert.equal(json.code, 1, json.stderr);
    const done = json.stdout.trim().split('\n').map((line) => JSON.parse(line)).filter((e) => e.code === 'stack-done');
    assert.deepEqual(
      done.map((e) => [e.stack, e.outcome]),
      [['networking', 'no-changes'], ['storage', 'no-changes'], ['compute', 'failed'], ['chatbot', 'not-started'], ['monitoring', 'not-started'], ['tracing', 'not-started']],
    );
    const compute = done.find((e) => e.stack === 'compute');
    assert.equal(compute.reason, `CloudFormation CreateChangeSet failed: ValidationError: ${refused.message}`);
    assert.match(compute.hint, /correct what the message names/);
  });
});
