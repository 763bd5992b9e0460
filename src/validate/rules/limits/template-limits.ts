import { TEMPLATE_BODY_LIMIT_BYTES, TEMPLATE_URL_LIMIT_BYTES } from '../../../template/limits.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

/** The name src/deploy knows the body limit by. */
export { TEMPLATE_BODY_LIMIT_BYTES as BODY_LIMIT_BYTES };

const COUNT_LIMITS: [section: 'resources' | 'parameters' | 'outputs' | 'mappings', name: string, limit: number][] = [
  ['resources', 'Resources', 500],
  ['parameters', 'Parameters', 200],
  ['outputs', 'Outputs', 200],
  ['mappings', 'Mappings', 200],
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
    for (const [section, name, limit] of COUNT_LIMITS) {
      const count = section === 'mappings' ? Object.keys(model.mappings).length : model[section].size;
      if (count > limit) report([name], `${count} ${name.toLowerCase()}: CloudFormation allows at most ${limit} per template`, { at: 'key' });
    }
  },
};
