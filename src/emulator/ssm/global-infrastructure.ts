import { bundledRegionTypes } from '../../regions/availability.ts';

/** Where AWS publishes its regions and the services of each (public SSM parameters). */
export const GLOBAL_INFRASTRUCTURE = '/aws/service/global-infrastructure';

export interface GlobalInfrastructureParameter {
  name: string;
  value: string;
}

interface Tree {
  values: Map<string, string>;
  /** Parent path -> its direct children, sorted by name (GetParametersByPath without Recursive). */
  children: Map<string, GlobalInfrastructureParameter[]>;
  /** Every parameter, sorted by name (Recursive). */
  all: GlobalInfrastructureParameter[];
}

let tree: Tree | undefined;

/**
 * The `/aws/service/global-infrastructure` parameters as the local SSM serves them, built on first
 * use from the bundled region data (a service is in a region when one of its resource types is):
 * `regions/<region>` and `services/<service>` hold their own ids, `regions/<region>/services/<service>`
 * the service id and `services/<service>/regions/<region>` the region.
 */
function globalInfrastructure(): Tree {
  if (tree) return tree;
  const data = bundledRegionTypes();
  const values = new Map<string, string>();
  for (const region of data.data.regions) {
    values.set(`${GLOBAL_INFRASTRUCTURE}/regions/${region}`, region);
    for (const service of data.servicesIn(region)) {
      values.set(`${GLOBAL_INFRASTRUCTURE}/regions/${region}/services/${service}`, service);
      values.set(`${GLOBAL_INFRASTRUCTURE}/services/${service}`, service);
      values.set(`${GLOBAL_INFRASTRUCTURE}/services/${service}/regions/${region}`, region);
    }
  }
  const all = [...values].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const children = new Map<string, GlobalInfrastructureParameter[]>();
  for (const parameter of all) {
    const parent = parameter.name.slice(0, parameter.name.lastIndexOf('/'));
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(parameter);
  }
  tree = { values, children, all };
  return tree;
}

/** One global-infrastructure parameter's value, if the name is one. */
export function globalInfrastructureValue(name: string): string | undefined {
  return name.startsWith(`${GLOBAL_INFRASTRUCTURE}/`) ? globalInfrastructure().values.get(name) : undefined;
}

/** The global-infrastructure parameters below a path (right below it, or at any depth with `recursive`), sorted by name. */
export function globalInfrastructureUnder(path: string, recursive: boolean): GlobalInfrastructureParameter[] {
  const parent = path.replace(/\/+$/, '');
  if (parent !== GLOBAL_INFRASTRUCTURE && !parent.startsWith(`${GLOBAL_INFRASTRUCTURE}/`) && !GLOBAL_INFRASTRUCTURE.startsWith(`${parent}/`)) return [];
  const { children, all } = globalInfrastructure();
  if (!recursive) return children.get(parent) ?? [];
  return all.filter((parameter) => parameter.name.startsWith(`${parent}/`));
}
