/**
 * Manifest placeholders: `${project}`, `${env}`, `${region}`, `${stacks.ID.name}`,
 * `${stacks.ID.outputs.KEY}` and `${regions.REGION.stacks.ID.outputs.KEY}` (a stack's output in
 * another region of the environment). Outputs are only known at deploy time, so expansion
 * leaves them in place and reports them.
 */
export interface PlaceholderValues {
  project: string;
  env?: string;
  region?: string;
  /** The CloudFormation name of a stack of the project, by id. */
  stackName?: (id: string) => string | undefined;
}

export interface StackReference {
  stack: string;
  /** Set for `${stacks.ID.outputs.KEY}`. */
  output?: string;
  /** Set for `${regions.REGION.stacks.ID.outputs.KEY}`: the stack in that region (see src/regions/cross-region.ts). */
  region?: string;
}

export interface Expansion {
  text: string;
  /** Stacks (and outputs) the text refers to: each is a dependency. */
  references: StackReference[];
  /** Output placeholders left for deploy time. */
  deferred: boolean;
  /** Placeholders that could not be expanded (unknown name, or no value here). */
  unresolved: string[];
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

export function expandPlaceholders(text: string, values: PlaceholderValues): Expansion {
  const references: StackReference[] = [];
  const unresolved: string[] = [];
  let deferred = false;
  const out = text.replace(PLACEHOLDER, (whole, inner: string) => {
    const name = inner.trim();
    if (name === 'project') return values.project;
    if (name === 'env' || name === 'region') {
      const v = values[name];
      if (v === undefined) unresolved.push(name);
      return v ?? whole;
    }
    const regional = /^regions\.([a-z0-9-]+)\.stacks\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9]+)$/.exec(name);
    if (regional) {
      references.push({ region: regional[1], stack: regional[2], output: regional[3] });
      deferred = true;
      return whole;
    }
    const stack = /^stacks\.([A-Za-z0-9_-]+)\.(name|outputs\.([A-Za-z0-9]+))$/.exec(name);
    if (stack) {
      if (stack[3] !== undefined) {
        references.push({ stack: stack[1], output: stack[3] });
        deferred = true;
        return whole;
      }
      references.push({ stack: stack[1] });
      const resolved = values.stackName?.(stack[1]);
      if (resolved === undefined) unresolved.push(name);
      return resolved ?? whole;
    }
    unresolved.push(name);
    return whole;
  });
  return { text: out, references, deferred, unresolved };
}

/** The stacks of the same region a text refers to (its dependencies), without expanding it. */
export function stackReferences(text: string): StackReference[] {
  return expandPlaceholders(text, { project: '' }).references.filter((r) => r.region === undefined);
}

/** A value's `${regions.REGION.stacks.ID.outputs.KEY}`, if it has one. */
export function regionOutputReference(text: string): StackReference | undefined {
  return expandPlaceholders(text, { project: '' }).references.find((r) => r.region !== undefined);
}
