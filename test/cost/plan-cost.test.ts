import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, writeProject } from '../helpers.ts';

const NETWORK = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  WithNat: { Type: String, Default: 'false', AllowedValues: ['true', 'false'] }
  Retention: { Type: Number, Default: 7 }
Conditions:
  HasNat: !Equals [!Ref WithNat, 'true']
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: { RetentionInDays: !Ref Retention }
  NatGateway:
    Type: AWS::EC2::NatGateway
    Condition: HasNat
    Properties: { SubnetId: subnet-12345678, AllocationId: eipalloc-12345678 }
`;

describe('stackpilot plan: what a deploy changes in the monthly estimate', () => {
  it('says what a new stack costs, then names the resource a parameter change adds and the one it changes', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: edge\nregion: us-east-1\nstacks:\n  network: { template: network.yaml }\nenvironments:\n  prod: {}\n',
      'network.yaml': NETWORK,
    });
    const fresh = runCli(['plan', dir], { env: { CI: 'true' } });
    assert.equal(fresh.code, 0, fresh.stderr);
    // 1 GB ingested at $0.50 and 7/30 GB-month stored at $0.03
    assert.match(fresh.stdout, /^ {2}Cost \+\$0\.51\/month: new stack$/m);

    assert.equal(runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } }).code, 0);
    const changed = runCli(['plan', dir, '--parameter', 'WithNat=true', '--parameter', 'Retention=30', '--json']);
    assert.equal(changed.code, 0, changed.stderr);
    const plan = JSON.parse(changed.stdout) as { stacks: { id: string; cost?: { before: number; after: number; resources: { resource: string; kind: string; change: number }[] } }[] };
    const cost = plan.stacks[0].cost!;
    // NAT gateway: 730 h × $0.045 + 100 GB × $0.045 = $37.35; log storage 7/30 -> 30/30 GB-month × $0.03 = +$0.023
    assert.deepEqual(cost.resources.map((r) => [r.resource, r.kind, Math.round(r.change * 100) / 100]), [['NatGateway', 'added', 37.35], ['Logs', 'changed', 0.02]]);

    const text = runCli(['plan', dir, '--parameter', 'WithNat=true'], { env: { CI: 'true' } });
    assert.match(text.stdout, /^ {2}Cost \+\$37\.35\/month: NatGateway added$/m);
  });
});
