import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { Parameter } from '@aws-sdk/client-cloudformation';
import type { ParameterDeclaration, TemplateModel } from '../../template/model.ts';
import { parameterKind, parameterValueToString, splitListValue } from '../../template/parameter-constraints.ts';
import { compileUserPattern } from '../../template/user-pattern.ts';
import { EngineError } from '../api.ts';

/** A stack parameter as the engine keeps it: the value given (an SSM name for SSM types) and what it resolved to. */
export interface ParameterRecord {
  key: string;
  value: string;
  /** The SSM parameter's value, for `AWS::SSM::Parameter::Value<...>` types. */
  resolvedValue?: string;
  noEcho: boolean;
}

export interface ResolvedParameters {
  records: ParameterRecord[];
  /** What `Ref` returns: lists as arrays. */
  values: Map<string, string | string[]>;
}

const validation = (message: string) => new EngineError('ValidationError', message);

/**
 * Reads the parameter values of a CreateStack/UpdateStack/CreateChangeSet call against the
 * template's declarations, as CloudFormation does: unknown keys, missing values, type and
 * constraint checks with CloudFormation's messages, previous values, SSM parameter types.
 */
export async function resolveParameters(
  model: TemplateModel,
  inputs: Parameter[] | undefined,
  previous: ParameterRecord[] | undefined,
  ssm: SSMClient,
): Promise<ResolvedParameters> {
  const given = new Map<string, Parameter>();
  for (const input of inputs ?? []) {
    if (!input.ParameterKey) continue;
    if (input.UsePreviousValue && input.ParameterValue !== undefined && input.ParameterValue !== '') {
      throw validation(`Invalid input for parameter key ${input.ParameterKey}. Cannot specify usePreviousValue as true and non empty value for a parameter`);
    }
    given.set(input.ParameterKey, input);
  }
  const unknown = [...given.keys()].filter((key) => !model.parameters.has(key));
  if (unknown.length > 0) throw validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);

  const chosen = new Map<string, string>();
  const missing: string[] = [];
  for (const decl of model.parameters.values()) {
    const input = given.get(decl.name);
    let value: string | undefined;
    if (input?.UsePreviousValue) {
      value = previous?.find((p) => p.key === decl.name)?.value;
      if (value === undefined) throw validation(`Invalid input for parameter key ${decl.name}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
    } else if (input?.ParameterValue !== undefined) value = input.ParameterValue;
    else if (decl.default !== undefined) value = parameterValueToString(decl.default);
    if (value === undefined) missing.push(decl.name);
    else chosen.set(decl.name, value);
  }
  if (missing.length > 0) throw validation(`Parameters: [${missing.join(', ')}] must have values`);

  for (const decl of model.parameters.values()) {
    if (!parameterKind(decl.type)) throw validation(`Template format error: Unrecognized parameter type: ${decl.type}`);
    const problem = constraintViolation(decl, chosen.get(decl.name)!);
    if (problem) throw validation(problem);
  }

  const ssmValues = await readSsmParameters(model, chosen, ssm);
  const records: ParameterRecord[] = [];
  const values = new Map<string, string | string[]>();
  for (const decl of model.parameters.values()) {
    const value = chosen.get(decl.name)!;
    const resolved = ssmValues.get(value);
    const isSsmValue = decl.type.startsWith('AWS::SSM::Parameter::Value<');
    records.push({ key: decl.name, value, noEcho: decl.noEcho, ...(isSsmValue ? { resolvedValue: resolved } : {}) });
    const effective = isSsmValue ? resolved! : value;
    values.set(decl.name, isListType(decl.type) ? splitListValue(effective) : effective);
  }
  return { records, values };
}

function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || /^List<.+>$/.test(type) || /^AWS::SSM::Parameter::Value<(List<.+>|CommaDelimitedList)>$/.test(type);
}

async function readSsmParameters(model: TemplateModel, chosen: Map<string, string>, ssm: SSMClient): Promise<Map<string, string>> {
  const names = [...model.parameters.values()].filter((d) => d.type.startsWith('AWS::SSM::Parameter::Value<')).map((d) => chosen.get(d.name)!);
  const found = new Map<string, string>();
  if (names.length === 0) return found;
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += 10) {
    const reply = await ssm.send(new GetParametersCommand({ Names: unique.slice(i, i + 10), WithDecryption: true }));
    for (const p of reply.Parameters ?? []) if (p.Name && p.Value !== undefined) found.set(p.Name, p.Value);
  }
  const absent = unique.filter((name) => !found.has(name));
  if (absent.length > 0) throw validation(`Unable to fetch parameters [${absent.join(',')}] from parameter store for this account.`);
  return found;
}

/** CloudFormation's message for the first constraint `value` breaks, if any. */
export function constraintViolation(decl: ParameterDeclaration, value: string): string | undefined {
  const kind = parameterKind(decl.type)!;
  const name = `Parameter '${decl.name}'`;
  const explain = (fallback: string) => `${name} ${decl.constraintDescription ?? fallback}`;
  const items = kind.list ? splitListValue(value) : [value];
  for (const item of items) {
    if (kind.item === 'number' && (item.trim() === '' || Number.isNaN(Number(item)))) return `${name} must be a number`;
    if (decl.allowedValues && !decl.allowedValues.some((allowed) => parameterValueToString(allowed) === item)) return explain('must be one of AllowedValues');
    if (decl.allowedPattern !== undefined) {
      const pattern = compileUserPattern(decl.allowedPattern);
      if (!pattern.ok && pattern.problem === 'unsupported') return `${name} has an AllowedPattern that uses ${pattern.reason}, which the stackpilot local engine does not evaluate: it matches patterns in linear time (RE2)`;
      if (!pattern.ok) return `${name} has an AllowedPattern that is not a valid regular expression: ${pattern.reason}`;
      const matched = pattern.matches(item);
      if (matched === 'too-long') return `${name} is too long for the stackpilot local engine to check against its AllowedPattern`;
      if (!matched) return explain(`must match pattern ${decl.allowedPattern}`);
    }
    if (kind.item === 'number') {
      const n = Number(item);
      if (decl.minValue !== undefined && n < decl.minValue) return explain(`must be a number not less than ${decl.minValue}`);
      if (decl.maxValue !== undefined && n > decl.maxValue) return explain(`must be a number not greater than ${decl.maxValue}`);
    }
    if (kind.item === 'aws' && !awsValueLooksValid(decl.type, item)) {
      return `Parameter validation failed: parameter value ${decl.noEcho ? '****' : item} for parameter name ${decl.name} does not exist`;
    }
  }
  if (kind.item !== 'number') {
    if (decl.minLength !== undefined && value.length < decl.minLength) return explain(`must contain at least ${decl.minLength} characters`);
    if (decl.maxLength !== undefined && value.length > decl.maxLength) return explain(`must contain at most ${decl.maxLength} characters`);
  }
  return undefined;
}

/** AWS-specific types name things that exist in the account; locally only their shape can be checked. */
function awsValueLooksValid(type: string, value: string): boolean {
  const prefix: Record<string, string> = { 'VPC::Id': 'vpc-', 'Subnet::Id': 'subnet-', 'SecurityGroup::Id': 'sg-', 'Image::Id': 'ami-', 'Instance::Id': 'i-', 'Volume::Id': 'vol-' };
  const key = Object.keys(prefix).find((k) => type.includes(`AWS::EC2::${k}`));
  return value !== '' && (key === undefined || value.startsWith(prefix[key]));
}
