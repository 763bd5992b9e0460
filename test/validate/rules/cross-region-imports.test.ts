import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copyExample, REPO, writeProject } from '../../helpers.ts';
import { projectFindings } from './support.ts';

const network = (exportName: string) =>
  `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16 }\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export: { Name: ${exportName} }\n`;
const app = (importName: string) =>
  `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !ImportValue ${importName}\n`;

function shop(options: { regions: string; pinned?: string; exportName: string; importName: string }) {
  const manifest = `project: shop
stacks:
  network:
    template: network.yaml
${options.pinned ? `    region: ${options.pinned}\n` : ''}  app:
    template: app.yaml
    dependsOn: [network]
environments:
  prod:
    region: us-east-1
    regions: ${options.regions}
`;
  return writeProject({ 'stackpilot.yaml': manifest, 'network.yaml': network(options.exportName), 'app.yaml': app(options.importName) });
}

describe('SP5007 ImportValue of another region\'s export', () => {
  it('reports an import whose name carries a region where the stack also deploys to another', () => {
    const dir = shop({ regions: '[us-east-1, us-west-2]', exportName: "!Sub '${AWS::Region}-VpcId'", importName: 'us-east-1-VpcId' });
    assert.deepEqual(projectFindings(dir, 'SP5007'), [
      `app.yaml 6:33 Imports us-east-1-VpcId, which in us-west-2 of environment prod only us-east-1 exports (${join(dir, 'network.yaml')}, output VpcId): Fn::ImportValue reads exports of its own region only; pass it as a parameter in stackpilot.yaml instead: \${regions.us-east-1.stacks.network.outputs.VpcId}`,
    ]);
  });

  it('reports an import of a stack limited to one region, in the environment\'s other regions', () => {
    const dir = shop({ regions: '[us-east-1, eu-west-1, us-west-2]', pinned: 'us-east-1', exportName: 'shop-VpcId', importName: 'shop-VpcId' });
    const found = projectFindings(dir, 'SP5007');
    assert.equal(found.length, 1);
    assert.match(found[0], /^app\.yaml 6:33 Imports shop-VpcId, which in eu-west-1, us-west-2 of environment prod only us-east-1 exports/);
  });

  it('accepts the same import in one region, an import that follows the region, and a pinned stack\'s import in its own region', () => {
    assert.deepEqual(projectFindings(shop({ regions: '[us-east-1]', exportName: "!Sub '${AWS::Region}-VpcId'", importName: 'us-east-1-VpcId' }), 'SP5007'), []);
    assert.deepEqual(projectFindings(shop({ regions: '[us-east-1, us-west-2]', exportName: "!Sub '${AWS::Region}-VpcId'", importName: "!Sub '${AWS::Region}-VpcId'" }), 'SP5007'), []);
    assert.deepEqual(projectFindings(shop({ regions: '[us-east-1, us-west-2]', exportName: 'shop-VpcId', importName: 'shop-VpcId' }), 'SP5007'), []);
  });

  it('finds nothing in the reference projects, nor in the Concert Data Platform (six stacks wired by exports) deployed to two regions', () => {
    for (const name of ['plot-palette', 'concert-platform', 'collab-platform']) assert.deepEqual(projectFindings(join(REPO, 'examples', name), 'SP5007'), [], name);
    const dir = copyExample('concert-platform');
    const manifest = join(dir, 'stackpilot.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('  production:\n    region: us-east-1\n', '  production:\n    region: us-east-1\n    regions: [us-east-1, us-west-2]\n'));
    assert.match(readFileSync(manifest, 'utf8'), /regions: \[us-east-1, us-west-2\]/);
    assert.deepEqual(projectFindings(dir, 'SP5003', { env: 'production' }), [], 'the imports match their exports');
    assert.deepEqual(projectFindings(dir, 'SP5007', { env: 'production' }), []);
  });
});
