import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalAws } from '../../src/emulator/local-aws.ts';

describe('SSM public parameters', () => {
  let local: LocalAws;
  before(async () => {
    local = await LocalAws.open();
  });
  after(() => local.close());

  const read = async (name: string, region = 'us-east-1') => {
    const ssm = new SSMClient(local.clientConfig(region));
    try {
      return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter!;
    } finally {
      ssm.destroy();
    }
  };

  it('answers the latest-AMI parameters every account has, with one stable id per name and region', async () => {
    const name = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64';
    const east = await read(name);
    assert.match(east.Value!, /^ami-[0-9a-f]{17}$/);
    assert.equal(east.DataType, 'aws:ec2:image');
    assert.equal((await read(name)).Value, east.Value);
    assert.notEqual((await read(name, 'eu-west-1')).Value, east.Value);
  });

  it('answers the ECS-optimized "recommended" parameter with its JSON document', async () => {
    const whole = JSON.parse((await read('/aws/service/ecs/optimized-ami/amazon-linux-2/recommended')).Value!);
    assert.equal(whole.image_id, (await read('/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id')).Value);
  });

  it('still refuses parameters that nobody wrote', async () => {
    await assert.rejects(read('/aws/service/not-a-family/x'), { name: 'ParameterNotFound' });
    await assert.rejects(read('/team/db/password'), { name: 'ParameterNotFound' });
  });
});
