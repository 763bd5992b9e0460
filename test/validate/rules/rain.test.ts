import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findings } from '../../helpers.ts';
import { rules } from './support.ts';

const errorsOf = (path: string) =>
  findings(path)
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`);

describe('SP1004 Rain directive', () => {
  it('reports each directive once, saying to run rain pkg, and keeps the findings that do not stem from a directive', () => {
    assert.deepEqual(errorsOf(rules('SP1004', 'bad.yaml')), [
      '5:11 SP1004 Resource Network is a Rain module (Rain::Module), which CloudFormation does not read: run `rain pkg` on this template, then validate and deploy its output',
      '17:21 SP1103 GetAtt on HandlerRole, which is not a resource of this template',
      '19:18 SP1004 Rain::Embed is a Rain directive, which CloudFormation does not read: run `rain pkg` on this template, then validate and deploy its output',
      '22:33 SP1102 Ref to HandlerSecurityGroup, which is not a parameter, resource or pseudo parameter of this template',
      '28:21 SP1103 GetAtt on HandlerRole, which is not a resource of this template',
      '29:20 SP3005 AWS::Lambda::Function PackageType does not accept "zip": did you mean Zip? (accepted: Image, Zip)',
      '30:13 SP1004 Rain::S3 is a Rain directive, which CloudFormation does not read: run `rain pkg` on this template, then validate and deploy its output',
    ]);
  });

  it("reads Rain's JSON form the same way, references to a module's resources included", () => {
    assert.deepEqual(errorsOf(rules('SP1004', 'bad.json')), [
      '6:9 SP1004 Resource Storage is a Rain module (Rain::Module), which CloudFormation does not read: run `rain pkg` on this template, then validate and deploy its output',
    ]);
  });
});
