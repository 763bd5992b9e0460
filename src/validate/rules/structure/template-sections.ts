import { isObject } from '../../../template/intrinsics.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks']);
const MAPPING_SECTIONS = ['Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Resources', 'Outputs', 'Hooks'];

/** Known top-level sections, each of the right shape, and a format version CloudFormation accepts. */
export const templateSections: TemplateRule = {
  scope: 'template',
  id: 'SP1001',
  title: 'Template sections and their shapes',
  severity: 'error',
  docs: userGuide('template-anatomy.html'),
  check({ template, model, macros, report }) {
    const body = template.body!;
    const serverless = model.transforms.includes('AWS::Serverless-2016-10-31');
    for (const key of Object.keys(body)) {
      if (key === 'Globals' && serverless) continue; // a section of the Serverless transform
      if (!SECTIONS.has(key)) report([key], `Unknown top-level section ${key} (known: ${[...SECTIONS].join(', ')})`, { at: 'key' });
    }
    for (const key of MAPPING_SECTIONS) {
      if (key in body && !isObject(body[key])) report([key], `${key} must be a mapping of names to declarations`);
    }
    if ('AWSTemplateFormatVersion' in body && body.AWSTemplateFormatVersion !== '2010-09-09') {
      report(['AWSTemplateFormatVersion'], `AWSTemplateFormatVersion must be "2010-09-09", the only version CloudFormation knows (found ${JSON.stringify(body.AWSTemplateFormatVersion)})`);
    }
    if ('Description' in body && typeof body.Description !== 'string') report(['Description'], 'Description must be a string');
    else if (typeof body.Description === 'string' && Buffer.byteLength(body.Description) > 1024) report(['Description'], 'Description is longer than 1,024 bytes');
    if (!('Resources' in body)) report([], 'A template needs a Resources section with at least one resource');
    else if (isObject(body.Resources) && Object.keys(body.Resources).length === 0) report(['Resources'], 'Resources must declare at least one resource');

    const shapes: [string, string, string][] = [
      ['Parameters', 'Type', 'parameter'],
      ['Resources', 'Type', 'resource'],
      ['Outputs', 'Value', 'output'],
    ];
    for (const [section, required, what] of shapes) {
      const entries = body[section];
      if (!isObject(entries)) continue;
      for (const [name, value] of Object.entries(entries)) {
        if (name.startsWith('Fn::ForEach::')) continue; // a loop of AWS::LanguageExtensions, expanded at deploy time
        if (!/^[A-Za-z0-9]+$/.test(name)) {
          report([section, name], `The ${what} name "${name}" must be alphanumeric (A-Za-z0-9)`, { at: 'key' });
        }
        if (!isObject(value)) report([section, name], `The ${what} ${name} must be a mapping`);
        else if (!(required in value)) report([section, name], `The ${what} ${name} has no ${required}`, { at: 'key' });
        else if (section === 'Resources' && !macros) {
          if (typeof value.Type !== 'string' || !/^[A-Za-z0-9]+(::[A-Za-z0-9_-]+)+$/.test(value.Type)) report([section, name, 'Type'], `The Type of ${name} must be a resource type name such as AWS::S3::Bucket`);
          if ('Properties' in value && !isObject(value.Properties)) report([section, name, 'Properties'], `The Properties of ${name} must be a mapping`);
        }
      }
    }
  },
};
