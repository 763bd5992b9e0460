import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { templatesInFolder } from '../../src/project/project.ts';
import { validatePath } from '../../src/validate/validate.ts';
import { CORPUS } from '../helpers.ts';

/**
 * Corpus templates that real CloudFormation does not accept as they are, with the reason.
 * Each must still produce an error (so the list cannot silently go stale).
 */
const NOT_PLAIN_CLOUDFORMATION: Record<string, string> = {
  'APIGateway/apigateway_lambda_integration.json': 'Rain::Embed, expanded by `rain pkg` before deploying',
  'APIGateway/apigateway_lambda_integration.yaml': '!Rain::Embed, expanded by `rain pkg` before deploying',
  'CloudFormation/CustomResources/getfromjson/src/getfromjson.yml': '!Rain::Embed',
  'CloudFormation/MacrosExamples/DateFunctions/date.json': 'Rain::Embed',
  'CloudFormation/MacrosExamples/DateFunctions/date.yaml': '!Rain::Embed',
  'CloudFormation/MacrosExamples/PyPlate/python.json': 'Rain::Embed',
  'CloudFormation/MacrosExamples/PyPlate/python.yaml': '!Rain::Embed',
  'CloudFormation/MacrosExamples/StringFunctions/string.json': 'Rain::Embed',
  'CloudFormation/MacrosExamples/StringFunctions/string.yaml': '!Rain::Embed',
  'CloudFormation/StackSets/common-resources-stackset.json': 'Rain::Embed of a template body',
  'CloudFormation/StackSets/common-resources-stackset.yaml': '!Rain::Embed of a template body',
  'CloudFormation/StackSets/common-resources.json': 'Rain::Module as a resource Type',
  'CloudFormation/StackSets/common-resources.yaml': '!Rain::Module',
  'CloudFormation/StackSets/log-setup-management.json': 'Rain::Embed of a template body',
  'CloudFormation/StackSets/log-setup-management.yaml': '!Rain::Embed of a template body',
  'ElastiCache/Elasticache-snapshot.json': 'Rain::Embed',
  'ElastiCache/Elasticache-snapshot.yaml': '!Rain::Embed',
  'IoT/amzn2-greengrass-cfn.json': 'Rain::Embed',
  'IoT/amzn2-greengrass-cfn.yaml': '!Rain::Embed',
  'RainModules/api-resource.yml': 'a Rain module, not a template (!Rain::S3)',
  'RainModules/bucket.yml': 'a Rain module, not a template (parameter Type Boolean, !Rain::Module)',
  'RainModules/static-site.yml': 'a Rain module, not a template (!Rain::Module)',
  'Solutions/GitLab/GitLabServer.json': 'Rain::Module with Overrides; the packaged GitLabServer-pkg.json is plain CloudFormation',
  'Solutions/GitLab/GitLabServer.yaml': '!Rain::Module',
  'Solutions/GitLabAndVSCode/GitLabAndVSCode.json': 'Rain::Module with Overrides; the -pkg.json is plain CloudFormation',
  'Solutions/GitLabAndVSCode/GitLabAndVSCode.yaml': '!Rain::Module',
  'Solutions/Gitea/Gitea.json': 'Rain::Module with Overrides; the -pkg.json is plain CloudFormation',
  'Solutions/Gitea/Gitea.yaml': '!Rain::Module',
  'Solutions/VSCode/VSCodeServer.json': 'Rain::Module with Overrides; the -pkg.json is plain CloudFormation',
  'Solutions/VSCode/VSCodeServer.yaml': '!Rain::Module',
  'Solutions/VPCPeering/templates/VPCPeering-Accepter.main.cfn.json':
    'a real bug: nested stack VPCPeeringAccepterTagStack passes LambdaRoleName, which VPCPeering-Accepter-Tag.cfn.json does not declare (CloudFormation rejects it)',
  'Solutions/VPCPeering/templates/VPCPeering-Accepter.main.cfn.yaml': 'the same bug as the .json version',
  'IoT/iotanalytics.json': 'AWS::IoTAnalytics::* (SP3008): AWS shut IoT Analytics down on 2025-12-15',
  'IoT/iotanalytics.yaml': 'AWS::IoTAnalytics::* (SP3008), as the .json version',
  'IoT/amzn2-greengrass-cfn-pkg.json': 'AWS::Greengrass::* (SP3008): Greengrass V1 is past its 2026-10-01 shutdown date',
  'IoT/amzn2-greengrass-cfn-pkg.yaml': 'AWS::Greengrass::* (SP3008), as the .json version',
  'Solutions/DirectoryServiceSettings/templates/DIRECTORY_SETTINGS.cfn.json': 'SNS KmsMasterKeyId aws/sns, where SNS takes alias/aws/sns (SP3006)',
  'Solutions/DirectoryServiceSettings/templates/DIRECTORY_SETTINGS.cfn.yaml': 'the same aws/sns as the .json version',
};

/** The day the corpus is checked for: lifecycle findings (runtimes, retired services) depend on it. */
const CHECK_DAY = '2026-11-30';

/** Warnings of the lifecycle, deprecation and value checks (SP3005-SP3009), by file: each a real problem on AWS at CHECK_DAY. */
const DATED_WARNINGS: Record<string, string> = {
  'Config/Config.json': 'nodejs20.x, deprecated since 2026-04-30',
  'Config/Config.yaml': 'nodejs20.x',
  'ElastiCache/Elasticache-snapshot.json': 'nodejs20.x',
  'ElastiCache/Elasticache-snapshot.yaml': 'nodejs20.x',
  'IoT/lambda-iot-topicrule.json': 'nodejs20.x',
  'IoT/lambda-iot-topicrule.yaml': 'nodejs20.x',
  'S3/S3_LambdaTrigger.json': 'python3.9, deprecated since 2025-12-15',
  'S3/S3_LambdaTrigger.yaml': 'python3.9',
  'Solutions/ADConnector/templates/ADCONNECTOR.cfn.json': 'python3.8, deprecated since 2024-10-14',
  'Solutions/ADConnector/templates/ADCONNECTOR.cfn.yaml': 'python3.8',
  'Solutions/CloudFrontCustomOriginLambda@Edge/CloudFront.json': 'nodejs20.x',
  'Solutions/CloudFrontCustomOriginLambda@Edge/CloudFront.yaml': 'nodejs20.x',
};
const DATED_RULES = new Set(['SP3005', 'SP3006', 'SP3007', 'SP3008', 'SP3009']);

describe('the public template corpus', () => {
  const templates = templatesInFolder(CORPUS);

  it('holds the templates it is known to hold', () => {
    assert.ok(templates.length >= 290, `expected about 297 templates in ${CORPUS}, found ${templates.length}`);
  });

  it('validates every template without a crash, and finds no error where CloudFormation accepts the template', () => {
    const unexpected: string[] = [];
    const stale: string[] = [];
    const warned = new Set<string>();
    for (const path of templates) {
      const name = relative(CORPUS, path);
      const diagnostics = validatePath(path, { today: CHECK_DAY }).diagnostics;
      if (diagnostics.some((d) => d.severity === 'warning' && DATED_RULES.has(d.rule))) warned.add(name);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (name in NOT_PLAIN_CLOUDFORMATION) {
        if (errors.length === 0) stale.push(`${name}: listed as not plain CloudFormation, but no error was found`);
      } else {
        unexpected.push(...errors.map((d) => `${name}:${d.line}:${d.column} ${d.rule} ${d.message}`));
      }
    }
    assert.deepEqual(unexpected, []);
    assert.deepEqual(stale, []);
    assert.deepEqual([...warned].sort(), Object.keys(DATED_WARNINGS).sort());
  });

  it('reports each Rain directive once, without the findings that follow from it', () => {
    const errorsOf = (name: string) =>
      validatePath(join(CORPUS, name), { today: CHECK_DAY })
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => `${d.line}:${d.column} ${d.rule}`);
    assert.deepEqual(errorsOf('APIGateway/apigateway_lambda_integration.yaml'), ['108:18 SP1004']);
    assert.deepEqual(errorsOf('APIGateway/apigateway_lambda_integration.json'), ['162:25 SP1004']);
    // Two modules and an embed: before, 12 errors (unknown tags, Types, refs to the modules' resources, Overrides).
    assert.deepEqual(errorsOf('Solutions/Gitea/Gitea.yaml'), ['52:11 SP1004', '141:18 SP1004', '144:11 SP1004']);
    assert.deepEqual(errorsOf('Solutions/Gitea/Gitea.json'), ['72:17 SP1004', '235:29 SP1004', '243:17 SP1004']);
  });

  it('catches the nested-parameter bug in the VPC peering sample', () => {
    const found = validatePath(join(CORPUS, 'Solutions/VPCPeering/templates/VPCPeering-Accepter.main.cfn.yaml')).diagnostics.filter((d) => d.rule === 'SP5001');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /passes LambdaRoleName, which .*VPCPeering-Accepter-Tag\.cfn\.yaml does not declare/);
  });
});
