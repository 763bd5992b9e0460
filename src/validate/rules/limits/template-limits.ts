import { SECTION_LIMITS, TEMPLATE_BODY_LIMIT_BYTES, TEMPLATE_URL_LIMIT_BYTES } from '../../../template/limits.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

/** The name src/deploy knows the body limit by. */
export { TEMPLATE_BODY_LIMIT_BYTES as BODY_LIMIT_BYTES };

const COUNT_LIMITS: [section: 'resources' | 'parameters' | 'outputs' | 'mappings', name: keyof typeof SECTION_LIMITS][] = [
  ['resources', 'Resources'],
  ['parameters', 'Parameters'],
  ['outputs', 'Outputs'],
  ['mappings', 'Mappings'],
];

/** CloudFormation's quotas on a template's size and on the number of entries per section. */
export const templateLimits: TemplateRule = {
  scope: 'template',
  id: 'SP4001',
  title: 'Template limits',
  severity: 'error',
  docs: userGuide('cloudformation-limits.html'),
  check({ template, model, report }) {
    const size = template.byteSize;
    if (size > TEMPLATE_URL_LIMIT_BYTES) {
      report([], `The template is ${size.toLocaleString('en-US')} bytes, over CloudFormation's 1 MB limit even through S3: split it into nested stacks`);
    } else if (size > TEMPLATE_BODY_LIMIT_BYTES) {
      report([], `The template is ${size.toLocaleString('en-US')} bytes, over the 51,200-byte limit for a template body: it must be deployed from S3 (stackpilot deploy uploads it)`, { severity: 'info' });
    }
    for (const [section, name] of COUNT_LIMITS) {
      const limit = SECTION_LIMITS[name];
      const count = section === 'mappings' ? Object.keys(model.mappings).length : model[section].size;
      if (count > limit) report([name], `${count} ${name.toLowerCase()}: CloudFormation allows at most ${limit} per template`, { at: 'key' });
    }
  },
};
