import { isObject } from './intrinsics.ts';
import type { Path } from './source-map.ts';

/** Keys Rain (aws-cloudformation/rain) replaces when it packages a template (`rain pkg`). */
const RAIN_DIRECTIVE = /^Rain::[A-Za-z0-9]+$/;

export interface RainDirective {
  /** `Rain::Embed`, `Rain::Module`... */
  name: string;
  /** The path of the directive's key (`[..., 'Code', 'Rain::S3']`). */
  path: Path;
  /** The value `rain pkg` replaces: the mapping holding the directive, or the whole resource a module stands for. */
  replaces: Path;
  /** For `Type: !Rain::Module`: the logical id its resources are named after (`Network` -> `NetworkVPC`). */
  module?: string;
}

const found = new WeakMap<Record<string, unknown>, RainDirective[]>();

/**
 * Every Rain directive of a template body, in document order: found once per body, as both the
 * Rain rule and the filter of the other rules' findings (rainFollowOn) ask for them.
 */
export function rainDirectives(body: Record<string, unknown> | undefined): readonly RainDirective[] {
  if (!body) return [];
  let directives = found.get(body);
  if (!directives) found.set(body, (directives = findRainDirectives(body)));
  return directives;
}

function findRainDirectives(body: Record<string, unknown>): RainDirective[] {
  const directives: RainDirective[] = [];
  // One path, grown and shrunk along the walk: copied only where a directive is found.
  const path: (string | number)[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visit(value[i]);
        path.pop();
      }
      return;
    }
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (!RAIN_DIRECTIVE.test(key)) {
        path.push(key);
        visit(child);
        path.pop();
        continue;
      }
      const isModule = key === 'Rain::Module' && path.length === 3 && path[0] === 'Resources' && path[2] === 'Type';
      directives.push({ name: key, path: [...path, key], replaces: isModule ? path.slice(0, 2) : [...path], ...(isModule ? { module: path[1] as string } : {}) });
    }
  };
  visit(body);
  return directives;
}
