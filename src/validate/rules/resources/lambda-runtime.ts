import { isObject } from '../../../template/intrinsics.ts';
import type { Path } from '../../../template/source-map.ts';
import type { TemplateRule } from '../../rule.ts';
import { runtimeLifecycle } from './lifecycle-data.ts';
import { literalValues } from './literal-values.ts';

/** Where SAM takes a function's runtime: each function, and the Globals every function inherits. */
const SAM_FUNCTION = 'AWS::Serverless::Function';

/**
 * A Lambda runtime past AWS's dates for the day of the check: a warning once deprecated (no
 * more patches), an error once AWS blocks creating functions with it (the deploy fails).
 */
export const lambdaRuntime: TemplateRule = {
  scope: 'template',
  id: 'SP3007',
  title: 'Deprecated Lambda runtime',
  severity: 'warning',
  docs: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
  check(ctx) {
    const runtimes: { runtime: string; path: Path }[] = [];
    for (const literal of literalValues(ctx)) {
      if (literal.type === 'AWS::Lambda::Function' && literal.definition === '' && literal.property === 'Runtime') runtimes.push({ runtime: literal.value, path: literal.path });
    }
    if (ctx.transformed) runtimes.push(...samRuntimes(ctx.template.body!));
    for (const { runtime, path } of runtimes) {
      const life = runtimeLifecycle(runtime);
      if (!life?.deprecated || life.deprecated > ctx.today) continue;
      const instead = life.successor ? `move to ${life.successor}` : 'move to a supported runtime';
      if (life.blockCreate && life.blockCreate <= ctx.today) {
        const updates = life.blockUpdate && life.blockUpdate > ctx.today ? ` (existing functions can still be updated until ${life.blockUpdate})` : '';
        ctx.report(path, `Lambda runtime ${runtime} is deprecated: AWS has blocked creating functions with it since ${life.blockCreate}${updates}; ${instead}`, { severity: 'error' });
      } else {
        const blocks = life.blockCreate ? `; AWS blocks creating functions with it from ${life.blockCreate}${life.blockUpdate ? ` and updating them from ${life.blockUpdate}` : ''}` : '';
        ctx.report(path, `Lambda runtime ${runtime} is deprecated since ${life.deprecated} (no more security patches)${blocks}; ${instead}`);
      }
    }
  },
};

/** Literal runtimes of SAM functions and of `Globals.Function`. */
function samRuntimes(body: Record<string, unknown>): { runtime: string; path: Path }[] {
  const found: { runtime: string; path: Path }[] = [];
  const globals = isObject(body.Globals) && isObject(body.Globals.Function) ? body.Globals.Function : undefined;
  if (typeof globals?.Runtime === 'string') found.push({ runtime: globals.Runtime, path: ['Globals', 'Function', 'Runtime'] });
  const resources = isObject(body.Resources) ? body.Resources : {};
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource.Type !== SAM_FUNCTION || !isObject(resource.Properties)) continue;
    if (typeof resource.Properties.Runtime === 'string') found.push({ runtime: resource.Properties.Runtime, path: ['Resources', id, 'Properties', 'Runtime'] });
  }
  return found;
}
