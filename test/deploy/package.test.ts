import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { artifactsBucketName, packageProject } from '../../src/deploy/package.ts';
import { loadProject } from '../../src/project/project.ts';
import { REPO, writeProject } from '../helpers.ts';

const nested = (file: string, extra = '') => `
  ${file.replace(/\W/g, '')}:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub https://\${Bucket}.s3.amazonaws.com/${file}
${extra}`;
const template = (children: string[], marker = 'x') =>
  `AWSTemplateFormatVersion: '2010-09-09'\nDescription: ${marker}\nParameters:\n  Bucket: { Type: String, Default: b }\nResources:\n  Topic: { Type: AWS::SNS::Topic }${children.map((c) => nested(c)).join('')}`;

describe('packaging', () => {
  it('names the artifacts bucket after the project, account and region, within S3\'s 63 characters', () => {
    assert.equal(artifactsBucketName('plot-palette', '123456789012', 'us-east-1'), 'plot-palette-cfn-123456789012-us-east-1');
    assert.ok(artifactsBucketName('a-very-long-project-name-that-goes-on-and-on', '123456789012', 'ap-southeast-2').length <= 63);
  });

  it('uploads every nested template once, children first, and points each TemplateURL at its object', () => {
    const project = loadProject(join(REPO, 'examples/plot-palette'), { env: 'development' });
    const plan = packageProject(project, 'artifacts', 'us-east-1');
    assert.equal(plan.artifacts.length, 9);
    const master = JSON.parse(plan.stacks[0].body);
    const urls = Object.values(master.Resources as Record<string, { Type: string; Properties: { TemplateURL: string } }>)
      .filter((r) => r.Type === 'AWS::CloudFormation::Stack')
      .map((r) => r.Properties.TemplateURL);
    assert.equal(urls.length, 9);
    for (const url of urls) {
      assert.match(url, /^https:\/\/artifacts\.s3\.us-east-1\.amazonaws\.com\/plot-palette\/[a-z-]+-[0-9a-f]{16}\.json$/);
      assert.ok(plan.artifacts.some((a) => a.url === url), `${url} is uploaded`);
    }
    assert.equal(plan.stacks[0].url, undefined, 'a body under 51,200 bytes is sent as it is');
  });

  it('gives a template a new key exactly when it or anything below it changes', () => {
    const dir = writeProject({
      'root.yaml': template(['mid.yaml', 'side.yaml']),
      'mid.yaml': template(['leaf.yaml']),
      'leaf.yaml': template([]),
      'side.yaml': template([], 'side'),
    });
    const keys = () => {
      const plan = packageProject(loadProject(join(dir, 'root.yaml')), 'b', 'eu-west-1');
      return Object.fromEntries(plan.artifacts.map((a) => [a.key.split('/').pop()!.replace(/-[0-9a-f]{16}\.json$/, ''), a.key]));
    };
    const before = keys();
    assert.deepEqual(Object.keys(before).sort(), ['leaf', 'mid', 'side']);
    writeFileSync(join(dir, 'leaf.yaml'), template([], 'changed'));
    const after = keys();
    assert.notEqual(after.leaf, before.leaf);
    assert.notEqual(after.mid, before.mid, 'the parent of a changed template changes too');
    assert.equal(after.side, before.side, 'an unrelated template keeps its key, so it is not uploaded again');
  });

  it('sends a root template over 51,200 bytes by URL', () => {
    const big = template([]) + Array.from({ length: 400 }, (_, i) => `\n  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties: { DelaySeconds: 0, MessageRetentionPeriod: 345600 }`).join('');
    const dir = writeProject({ 'big.yaml': big });
    const plan = packageProject(loadProject(join(dir, 'big.yaml')), 'b', 'us-west-2');
    assert.match(plan.stacks[0].url!, /^https:\/\/b\.s3\.us-west-2\.amazonaws\.com\/stackpilot-test-\w+\/big-[0-9a-f]{16}\.json$/);
    assert.equal(plan.artifacts.length, 1);
  });
});
