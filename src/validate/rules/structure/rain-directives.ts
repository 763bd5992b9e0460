import { rainDirectives, type RainDirective } from '../../../template/rain.ts';
import type { Path } from '../../../template/source-map.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

const RULE_ID = 'SP1004';

/** One finding per Rain directive: the template must go through `rain pkg` before CloudFormation can read it. */
export const rainDirectivesRule: TemplateRule = {
  scope: 'template',
  id: RULE_ID,
  title: 'Rain directive: package the template first',
  severity: 'error',
  // What CloudFormation reads; `rain pkg` itself is documented in github.com/aws-cloudformation/rain.
  docs: userGuide('template-anatomy.html'),
  check({ template, report }) {
    for (const directive of rainDirectives(template.body)) {
      const what = directive.module ? `Resource ${directive.module} is a Rain module (${directive.name})` : `${directive.name} is a Rain directive`;
      report(directive.path, `${what}, which CloudFormation does not read: run \`rain pkg\` on this template, then validate and deploy its output`, { at: 'key' });
    }
  },
};

/** Rules whose findings name the resources a reference points at (Ref, GetAtt, Sub, DependsOn, cycles). */
const REFERENCE_RULES = new Set(['SP1102', 'SP1103', 'SP1104', 'SP1107', 'SP1108']);

/**
 * Whether a finding stems from a Rain directive rather than from the template: it sits in the
 * value the directive replaces, or it names a resource a Rain module creates (`NetworkVPC` of
 * module `Network`). One directive, one finding (SP1004), not a cascade.
 */
export function rainFollowOn(body: Record<string, unknown> | undefined): (rule: string, path: Path, message: string) => boolean {
  const directives = rainDirectives(body);
  if (directives.length === 0) return () => false;
  const modules = directives.flatMap((d) => (d.module ? [d.module] : []));
  return (rule, path, message) => {
    if (rule === RULE_ID) return false;
    if (directives.some((d) => within(path, d))) return true;
    if (modules.length === 0 || !REFERENCE_RULES.has(rule)) return false;
    const names = message.match(/[A-Za-z][A-Za-z0-9]*/g) ?? [];
    return names.some((name) => modules.some((m) => isModuleResource(name, m)));
  };
}

/** Rain names a module's resources module id + logical id (`Network` + `VPC`): `Ref` is not a resource of module `Re`. */
function isModuleResource(name: string, module: string): boolean {
  return name === module || (name.startsWith(module) && /[A-Z0-9]/.test(name.charAt(module.length)));
}

function within(path: Path, directive: RainDirective): boolean {
  return path.length >= directive.replaces.length && directive.replaces.every((p, i) => path[i] === p);
}

