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

/** Every Rain directive of a template body, in document order. */
export function rainDirectives(body: Record<string, unknown> | undefined): RainDirective[] {
  const found: RainDirective[] = [];
  const visit = (value: unknown, path: Path): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (!RAIN_DIRECTIVE.test(key)) {
        visit(child, [...path, key]);
        continue;
      }
      const isModule = key === 'Rain::Module' && path.length === 3 && path[0] === 'Resources' && path[2] === 'Type';
      found.push({ name: key, path: [...path, key], replaces: isModule ? path.slice(0, 2) : path, ...(isModule ? { module: path[1] as string } : {}) });
    }
  };
  if (body) visit(body, []);
  return found;
}
