import type { ParameterDeclaration } from './model.ts';
import { compileUserPattern } from './user-pattern.ts';

/** Shapes of the AWS-specific parameter types' values, as far as they can be checked offline (a Map: types come from templates). */
const AWS_VALUE_PATTERNS = new Map<string, RegExp>(Object.entries({
  'AWS::EC2::AvailabilityZone::Name': /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+[a-z]$/,
  'AWS::EC2::Image::Id': /^ami-[0-9a-f]{8,17}$/,
  'AWS::EC2::Instance::Id': /^i-[0-9a-f]{8,17}$/,
  'AWS::EC2::KeyPair::KeyName': /^.+$/s,
  'AWS::EC2::SecurityGroup::GroupName': /^.+$/s,
  'AWS::EC2::SecurityGroup::Id': /^sg-[0-9a-f]{8,17}$/,
  'AWS::EC2::Subnet::Id': /^subnet-[0-9a-f]{8,17}$/,
  'AWS::EC2::Volume::Id': /^vol-[0-9a-f]{8,17}$/,
  'AWS::EC2::VPC::Id': /^vpc-[0-9a-f]{8,17}$/,
  'AWS::Route53::HostedZone::Id': /^[A-Z0-9]{1,32}$/,
}));

const SSM_PARAMETER_NAME = /^[a-zA-Z0-9_.\-/]+$/;

export type ParameterKind = { list: boolean; item: 'string' | 'number' | 'aws' | 'ssm'; awsType?: string };

/** How CloudFormation reads a parameter type, or undefined for a type it doesn't know. */
export function parameterKind(type: string): ParameterKind | undefined {
  if (type === 'String') return { list: false, item: 'string' };
  if (type === 'Number') return { list: false, item: 'number' };
  if (type === 'CommaDelimitedList') return { list: true, item: 'string' };
  if (type === 'List<Number>') return { list: true, item: 'number' };
  if (/^AWS::SSM::Parameter::Name$/.test(type)) return { list: false, item: 'ssm' };
  if (/^AWS::SSM::Parameter::Value<.+>$/.test(type)) return { list: false, item: 'ssm' };
  const list = /^List<(.+)>$/.exec(type);
  if (list && AWS_VALUE_PATTERNS.has(list[1])) return { list: true, item: 'aws', awsType: list[1] };
  if (AWS_VALUE_PATTERNS.has(type)) return { list: false, item: 'aws', awsType: type };
  return undefined;
}

/** Splits a list parameter's value the way CloudFormation does (commas, spaces trimmed). */
export function splitListValue(value: string): string[] {
  return value === '' ? [] : value.split(',').map((s) => s.trim());
}

const show = (v: string) => JSON.stringify(v);

/**
 * What is wrong with `value` for this parameter, in words a person can act on; empty when it
 * is acceptable. `secret` hides the value itself (NoEcho parameters).
 */
export function checkParameterValue(decl: ParameterDeclaration, value: string, secret = decl.noEcho): string[] {
  return [...awsShapeProblems(decl, value, secret), ...constraintProblems(decl, value, secret)];
}

/**
 * How `value` misses the shape of the parameter's AWS-specific type (`AWS::EC2::Subnet::Id`,
 * `AWS::SSM::Parameter::Name`, their lists): AWS checks these only when a stack is created or
 * updated with the value, so a Default every deploy overrides is no error by itself.
 */
export function awsShapeProblems(decl: ParameterDeclaration, value: string, secret = decl.noEcho): string[] {
  const kind = parameterKind(decl.type);
  if (!kind || (kind.item !== 'aws' && kind.item !== 'ssm')) return [];
  const label = itemLabel(kind, secret);
  return (kind.list ? splitListValue(value) : [value]).flatMap((item) => {
    if (kind.item === 'aws') return AWS_VALUE_PATTERNS.get(kind.awsType!)!.test(item) ? [] : [`${label(item)} is not a valid ${kind.awsType}`];
    return SSM_PARAMETER_NAME.test(item) ? [] : [`${label(item)} is not an SSM parameter name (type ${decl.type})`];
  });
}

/** How `value` breaks the constraints the parameter declares itself (or its Number type). */
export function constraintProblems(decl: ParameterDeclaration, value: string, secret: boolean | undefined): string[] {
  const problems: string[] = [];
  const kind = parameterKind(decl.type);
  if (!kind) return problems; // the parameter's own declaration is reported elsewhere
  const items = kind.list ? splitListValue(value) : [value];
  const label = itemLabel(kind, secret);
  const hint = decl.constraintDescription ? ` (${decl.constraintDescription})` : '';

  for (const item of items) {
    if (kind.item === 'number' && (item.trim() === '' || Number.isNaN(Number(item)))) {
      problems.push(`${label(item)} is not a number (type ${decl.type})`);
      continue;
    }
    if (decl.allowedValues && !decl.allowedValues.some((allowed) => parameterValueToString(allowed) === item)) {
      const choices = decl.allowedValues.map(valueText).join(', ');
      problems.push(`${label(item)} is not one of the allowed values: ${choices}`);
    }
    if (decl.allowedPattern !== undefined) {
      // A pattern that cannot be evaluated is reported with the parameter's declaration (SP2001).
      const pattern = compileUserPattern(decl.allowedPattern);
      const matched = pattern.ok ? pattern.matches(item) : true;
      if (matched === false) problems.push(`${label(item)} does not match the pattern ${decl.allowedPattern}${hint}`);
      if (matched === 'too-long') problems.push(`${label(item)} is too long to check against the pattern ${decl.allowedPattern} (see "Limits on input" in the README)`);
    }
    if (kind.item === 'number') {
      const n = Number(item);
      if (decl.minValue !== undefined && n < decl.minValue) problems.push(`${label(item)} is less than MinValue ${decl.minValue}${hint}`);
      if (decl.maxValue !== undefined && n > decl.maxValue) problems.push(`${label(item)} is greater than MaxValue ${decl.maxValue}${hint}`);
    }
  }
  if (kind.item !== 'number') {
    if (decl.minLength !== undefined && value.length < decl.minLength) problems.push(`${secret ? 'the value' : show(value)} is shorter than MinLength ${decl.minLength}${hint}`);
    if (decl.maxLength !== undefined && value.length > decl.maxLength) problems.push(`${secret ? 'the value' : show(value)} is longer than MaxLength ${decl.maxLength}${hint}`);
  }
  return problems;
}

const itemLabel = (kind: ParameterKind, secret: boolean | undefined) => (item: string) => (secret ? 'the value' : kind.list ? `item ${show(item)}` : show(item));

/** A template value as text for a message: scalars and lists as CloudFormation reads them, anything else as JSON. */
export function valueText(value: unknown): string {
  return parameterValueToString(value) ?? JSON.stringify(value) ?? String(value);
}

/** A parameter value as a string, the way CloudFormation receives it (lists comma-joined). */
export function parameterValueToString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return value.join(',');
  return undefined;
}
