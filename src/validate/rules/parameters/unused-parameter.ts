import { intrinsicCalls, referencesOf } from '../../../template/intrinsics.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

/** A declared parameter that nothing uses is likely a leftover or a typo. */
export const unusedParameter: TemplateRule = {
  scope: 'template',
  id: 'SP2002',
  title: 'Unused parameter',
  severity: 'warning',
  docs: userGuide('parameters-section-structure.html'),
  check({ template, model, transformed, report }) {
    if (transformed || model.parameters.size === 0) return;
    const body = template.body!;
    const used = new Set<string>();
    for (const section of ['Resources', 'Outputs', 'Conditions', 'Rules', 'Metadata']) {
      for (const ref of referencesOf(intrinsicCalls(body, section))) used.add(ref.name);
    }
    for (const name of model.parameters.keys()) {
      if (!used.has(name)) report(['Parameters', name], `Parameter ${name} is declared but never used`, { at: 'key' });
    }
  },
};
