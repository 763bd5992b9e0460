import { type Command, InvalidArgumentError, Option } from 'commander';
import { StackpilotError } from '../errors.ts';
import type { Capability, Tag } from '@aws-sdk/client-cloudformation';
import { CAPABILITIES, checkNotificationArn, checkRoleArn, parseCapabilities, parseTag, type StackSettings } from '../deploy/stack-settings.ts';
import { parseParameterOverride, type ParameterOverride } from '../project/parameter-overrides.ts';
import { parseCheckDay } from '../validate/check-day.ts';

/** The flags every command that reaches stacks shares: which project, environment, target and region. */
export interface TargetFlags {
  env?: string;
  target: 'local' | 'aws';
  profile?: string;
  region?: string;
  regions?: string[];
  stackName?: string;
}

export function withTargetOptions(command: Command): Command {
  return command
    .argument('[path]', 'project folder (with stackpilot.yaml), folder of templates, or template', '.')
    .option('-e, --env <name>', 'environment of the manifest (required when it has several)')
    .addOption(new Option('-t, --target <target>', 'the embedded local engine, or AWS').choices(['local', 'aws']).default('local'))
    .option('--profile <name>', 'AWS profile (aws target; else the standard credential chain)')
    .option('-r, --region <region>', 'one region (default: every region of the environment\'s regions:, else its region, then the manifest\'s, then us-east-1)')
    .option('--regions <a,b>', 'several of the environment\'s regions, comma-separated', regionList)
    .option('--stack-name <name>', 'the stack\'s name, for a single template (default: the file\'s name; a folder\'s stacks are <folder>-<file>)');
}

/** --regions a,b: region names, each checked against the environment's regions when it is loaded. */
export function regionList(value: string): string[] {
  const regions = value.split(',').map((r) => r.trim()).filter((r) => r !== '');
  if (regions.length === 0 || regions.some((r) => !/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/.test(r))) throw new InvalidArgumentError('AWS region names separated by commas, such as us-east-1,us-west-2');
  return regions;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
}

/** A flag's value read by the library's parser: its StackpilotError becomes commander's usage error (exit 3). */
function asFlagValue<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StackpilotError) throw new InvalidArgumentError(`${error.message}. ${error.hint ?? ''}`.trim());
    throw error;
  }
}

/** --as-of YYYY-MM-DD: the day lifecycle dates are judged by. */
export function checkDay(value: string): string {
  return asFlagValue(() => parseCheckDay(value));
}

/** --parameter, repeatable: `KEY=VALUE`, or `STACK.KEY=VALUE` for one stack. */
function collectParameterOverride(value: string, previous: ParameterOverride[]): ParameterOverride[] {
  return asFlagValue(() => [...previous, parseParameterOverride(value)]);
}

/** The flags of stack settings given for one run (see src/deploy/stack-settings.ts). */
export interface StackSettingFlags {
  capabilities?: Capability[];
  tag: Tag[];
  roleArn?: string;
  notificationArn: string[];
  terminationProtection?: boolean;
}

/** --capabilities, --tag, --role-arn, --notification-arn, --[no-]termination-protection: for every stack of a plan or deploy, above the manifest. */
export function withStackSettingOptions(command: Command): Command {
  return command
    .option('--capabilities <list>', `capabilities to acknowledge, comma-separated, instead of those the templates call for (${CAPABILITIES.join(', ')})`, (value: string) => asFlagValue(() => parseCapabilities(value)))
    .option('--tag <key=value>', 'a tag on every stack, above the manifest\'s tags; repeatable', (value: string, previous: Tag[]) => asFlagValue(() => [...previous, parseTag(value)]), [])
    .option('--role-arn <arn>', 'the IAM service role CloudFormation acts as for the stacks (kept for later changes)', (value: string) => asFlagValue(() => checkRoleArn(value)))
    .option('--notification-arn <arn>', 'an SNS topic for the stacks\' events; repeatable, up to 5', (value: string, previous: string[]) => asFlagValue(() => checkNotificationArn(value, previous)), [])
    .option('--termination-protection', 'turn termination protection on for each stack once deployed')
    .option('--no-termination-protection', 'turn it off (default: left as it is)');
}

export function stackSettingsOf(flags: StackSettingFlags): StackSettings {
  return {
    ...(flags.capabilities ? { capabilities: flags.capabilities } : {}),
    ...(flags.tag.length > 0 ? { tags: flags.tag } : {}),
    ...(flags.roleArn !== undefined ? { roleArn: flags.roleArn } : {}),
    ...(flags.notificationArn.length > 0 ? { notificationArns: flags.notificationArn } : {}),
    ...(flags.terminationProtection !== undefined ? { terminationProtection: flags.terminationProtection } : {}),
  };
}

/** The flags that give parameters their values for one run: --parameter above files, manifest and region overrides; --parameters FILE for a template or folder. */
export function withParameterOption(command: Command): Command {
  return command
    .option('--parameter <key=value>', 'a parameter value above every other source; repeatable; STACK.KEY=VALUE for one stack', collectParameterOverride, [])
    .option('--parameters <file>', 'parameter file for a single template or a folder of templates: [{"ParameterKey": ..., "ParameterValue": ...}] or {"Key": "Value"}');
}
