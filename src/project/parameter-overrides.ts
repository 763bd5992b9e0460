import { relative } from 'node:path';
import { StackpilotError } from '../errors.ts';
import type { Project } from './project.ts';

/** `--parameter KEY=VALUE`, or `STACK.KEY=VALUE` for one stack: the last word on a value. */
export interface ParameterOverride {
  /** The project stack it is for; every stack that declares the key when absent. */
  stack?: string;
  key: string;
  value: string;
}

// CloudFormation parameter names are alphanumeric, so the last dot before `=` ends the stack id.
const OVERRIDE = /^(?:(.+)\.)?([A-Za-z0-9]+)=(.*)$/s;

/** Reads one `--parameter` argument; the value is taken as written (no placeholders). */
export function parseParameterOverride(text: string): ParameterOverride {
  const match = OVERRIDE.exec(text);
  if (!match) {
    throw new StackpilotError('ParameterSyntax', `--parameter ${text.split('=')[0]}: expected KEY=VALUE or STACK.KEY=VALUE`, 'Parameter names are letters and digits, e.g. --parameter LogRetention=30 or --parameter api.LogRetention=30.');
  }
  return { ...(match[1] !== undefined ? { stack: match[1] } : {}), key: match[2], value: match[3] };
}

/** How a flag names its parameter in messages (without its value, which may be a secret). */
export function overrideName(override: ParameterOverride): string {
  return override.stack === undefined ? override.key : `${override.stack}.${override.key}`;
}

/**
 * Every `--parameter` names a parameter a stack of the project declares (and a stack that
 * exists): a value that would be dropped unseen is an error, before anything is touched.
 */
export function checkParameterOverrides(project: Project, overrides: readonly ParameterOverride[]): void {
  // A template that cannot be read declares nothing we know of: validation reports it instead.
  const declares = (id: string, key: string) => {
    const template = project.templates.get(project.stacks.find((s) => s.id === id)?.template ?? '');
    return template !== undefined && (template.body === undefined || template.model.parameters.has(key));
  };
  for (const override of overrides) {
    const name = `--parameter ${overrideName(override)}`;
    if (override.stack !== undefined) {
      const stack = project.stacks.find((s) => s.id === override.stack);
      if (!stack) throw new StackpilotError('UnknownStack', `${name}: the project has no stack "${override.stack}"`, `Stacks: ${project.stacks.map((s) => s.id).join(', ')}.`);
      if (!declares(stack.id, override.key)) {
        throw new StackpilotError('UnknownParameter', `${name}: ${override.key} is not a parameter of stack ${stack.id} (${relative(project.root, stack.template)})`, 'Name a parameter its template declares.');
      }
    } else if (!project.stacks.some((s) => declares(s.id, override.key))) {
      throw new StackpilotError('UnknownParameter', `${name}: no stack of the project declares a parameter ${override.key}`, 'Name a parameter a stack\'s template declares (STACK.KEY=VALUE for one stack).');
    }
  }
}
