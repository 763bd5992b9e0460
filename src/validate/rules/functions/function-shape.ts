import { intrinsicCalls, intrinsicName, isObject } from '../../../template/intrinsics.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';

const isString = (v: unknown) => typeof v === 'string' && v !== '';
/** A value that is a string, or a function that can produce one. */
const stringish = (v: unknown) => typeof v === 'string' || intrinsicName(v) !== undefined;
const listish = (v: unknown) => Array.isArray(v) || intrinsicName(v) !== undefined;
const integerish = (v: unknown) => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^\d+$/.test(v)) || intrinsicName(v) !== undefined;
const conditionish = (v: unknown) => intrinsicName(v, true) !== undefined;

/** What each function takes, as a check and the words used when it fails. */
const SHAPES: Record<string, [(arg: unknown) => boolean, string]> = {
  Ref: [isString, 'a logical id or pseudo parameter name'],
  Condition: [isString, 'a condition name'],
  'Fn::GetAtt': [
    (a) => (typeof a === 'string' && a.includes('.')) || (Array.isArray(a) && a.length === 2 && isString(a[0]) && stringish(a[1])),
    '[logicalId, attribute] (or "logicalId.attribute")',
  ],
  'Fn::Sub': [(a) => typeof a === 'string' || (Array.isArray(a) && a.length === 2 && isString(a[0]) && isObject(a[1])), 'a string, or [string, {variable: value}]'],
  'Fn::Join': [(a) => Array.isArray(a) && a.length === 2 && typeof a[0] === 'string' && listish(a[1]), '[delimiter, [values]]'],
  'Fn::Select': [(a) => Array.isArray(a) && a.length === 2 && integerish(a[0]) && listish(a[1]), '[index, [values]]'],
  'Fn::Split': [(a) => Array.isArray(a) && a.length === 2 && isString(a[0]) && stringish(a[1]), '[delimiter, string]'],
  'Fn::FindInMap': [
    (a) => Array.isArray(a) && (a.length === 3 || (a.length === 4 && isObject(a[3]))) && a.slice(0, 3).every(stringish),
    '[MapName, TopLevelKey, SecondLevelKey]',
  ],
  'Fn::GetAZs': [(a) => a === null || stringish(a), 'a region name, "" or a Ref to AWS::Region'],
  'Fn::ImportValue': [stringish, 'an export name (a string or a function that returns one)'],
  'Fn::Base64': [stringish, 'a string'],
  'Fn::Cidr': [(a) => Array.isArray(a) && a.length === 3 && stringish(a[0]) && integerish(a[1]) && integerish(a[2]), '[ipBlock, count, cidrBits]'],
  'Fn::Equals': [(a) => Array.isArray(a) && a.length === 2, '[value1, value2]'],
  'Fn::And': [(a) => Array.isArray(a) && a.length >= 2 && a.length <= 10 && a.every(conditionish), 'a list of 2 to 10 conditions'],
  'Fn::Or': [(a) => Array.isArray(a) && a.length >= 2 && a.length <= 10 && a.every(conditionish), 'a list of 2 to 10 conditions'],
  'Fn::Not': [(a) => Array.isArray(a) && a.length === 1 && conditionish(a[0]), 'a list of one condition'],
  'Fn::If': [(a) => Array.isArray(a) && a.length === 3 && isString(a[0]), '[conditionName, valueIfTrue, valueIfFalse]'],
  'Fn::Length': [listish, 'a list'],
  'Fn::ToJsonString': [(a) => isObject(a) || Array.isArray(a), 'an object or a list'],
  'Fn::Transform': [(a) => (Array.isArray(a) ? a : [a]).every((t) => isObject(t) && typeof t.Name === 'string'), '{Name, Parameters}'],
};

/** The shape and arity of every intrinsic function. */
export const functionShape: TemplateRule = {
  scope: 'template',
  id: 'SP1101',
  title: 'Intrinsic function shape and arity',
  severity: 'error',
  docs: templateReference('intrinsic-function-reference.html'),
  check({ template, transformed, report }) {
    const body = template.body!;
    for (const section of ['Resources', 'Outputs', 'Conditions', 'Metadata']) {
      if (!(section in body)) continue;
      for (const { fn, argument, path } of intrinsicCalls(body, section)) {
          const shape = SHAPES[fn];
          // Fn::ForEach (AWS::LanguageExtensions) lets GetAtt build its logical id from functions.
          if (fn === 'Fn::GetAtt' && transformed && Array.isArray(argument) && argument.length === 2 && argument.every(stringish)) continue;
          if (shape && !shape[0](argument)) report([...path, fn], `${fn} takes ${shape[1]}`, { at: 'key' });
      }
    }
  },
};
