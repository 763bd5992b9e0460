import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleFindings } from '../../helpers.ts';
import { rules } from './support.ts';

describe('SP1109 malformed dynamic reference', () => {
  it('reports references CloudFormation cannot resolve, and ssm-secure or secrets where they are not resolved, saying what to write', () => {
    assert.deepEqual(ruleFindings(rules('SP1109', 'bad.yaml'), 'SP1109'), [
      '12:23 {{resolve:ssm:/app/db user}}: the parameter name must be letters, digits and _.-/ (write {{resolve:ssm:name}} or {{resolve:ssm:name:version}})',
      '13:27 {{resolve:secretsmanager:app/db:password}}: the part after the secret id must be SecretString, not "password" (write {{resolve:secretsmanager:secret-id:SecretString:json-key}})',
      '14:20 {{resolve:ssm:/app/db-name:latest}}: after the parameter name comes only a version number (write {{resolve:ssm:/app/db-name:1}} or leave it out)',
      '18:36 {{resolve:parameterstore:/app/cache}}: CloudFormation resolves ssm, ssm-secure and secretsmanager references, not "parameterstore"',
      '19:18 {{resolve:secretsmanager:app/cache:SecretString:token:AWSCURRENT:0123}}: give a version stage or a version id, not both',
      '26:14 {{resolve:ssm-secure:/app/api-key}}: CloudFormation resolves ssm-secure only in a few password properties (RDS MasterUserPassword, IAM LoginProfile Password...); use a secretsmanager reference or a NoEcho parameter here',
      '29:12 {{resolve:secretsmanager:app/db:SecretString:password}}: Secrets Manager references are resolved in resource properties only',
    ]);
  });

  it('accepts versions, public parameters, secret ARNs, empty trailing parts, Sub, and ssm-secure in the properties that take it', () => {
    assert.deepEqual(ruleFindings(rules('SP1109', 'good.yaml'), 'SP1109'), []);
  });
});
