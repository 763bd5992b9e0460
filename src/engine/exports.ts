import { EvaluationError } from './evaluate/evaluation-error.ts';
import { NO_VALUE, evaluate } from './evaluate/intrinsics.ts';
import type { StackOperation } from './operations/operation.ts';
import type { StackStore } from './stack-store.ts';
import type { OutputRecord, StackRecord } from './state.ts';

const outputText = (value: unknown): string => (Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** The stack's outputs under the operation's template, skipping those whose Condition is false. */
export function evaluateOutputs(op: StackOperation): OutputRecord[] {
  const outputs: OutputRecord[] = [];
  for (const output of op.template.model.outputs.values()) {
    if (output.condition !== undefined && !op.scope.condition(output.condition)) continue;
    const value = evaluate(output.value, op.scope);
    // `Ref: AWS::NoValue` (often from Fn::If) leaves the output with no value at all.
    if (value === undefined || value === NO_VALUE) throw new EvaluationError(`Template format error: Every Outputs member must contain a Value object, the Output ${output.name} is missing the Value`);
    const exportName = output.exportName === undefined ? undefined : outputText(evaluate(output.exportName, op.scope));
    outputs.push({ key: output.name, value: outputText(value), ...(output.description ? { description: output.description } : {}), ...(exportName !== undefined ? { exportName } : {}) });
  }
  return outputs;
}

/** Names of the live stacks (other than `except`) that import an export. */
export function importersOf(store: StackStore, exportName: string, except?: string): string[] {
  return store.liveStacks().filter((s) => s.stackId !== except && s.imports.includes(exportName)).map((s) => s.stackName);
}

/** The live stack exporting a name, if any. */
export function exporterOf(store: StackStore, exportName: string, except?: string): StackRecord | undefined {
  return store.liveStacks().find((s) => s.stackId !== except && s.outputs.some((o) => o.exportName === exportName));
}

/**
 * Fails as CloudFormation does when new outputs would export a name another stack exports, or
 * change or drop an export another stack imports.
 */
export function checkExports(store: StackStore, stack: StackRecord, next: OutputRecord[], previous: OutputRecord[]): void {
  const seen = new Set<string>();
  for (const output of next) {
    if (output.exportName === undefined) continue;
    if (seen.has(output.exportName)) throw new EvaluationError(`Template error: the export name ${output.exportName} is used by more than one output`);
    seen.add(output.exportName);
    const other = exporterOf(store, output.exportName, stack.stackId);
    if (other) throw new EvaluationError(`Export with name ${output.exportName} is already exported by stack ${other.stackName}`);
  }
  for (const old of previous) {
    if (old.exportName === undefined) continue;
    const importers = importersOf(store, old.exportName, stack.stackId);
    if (importers.length === 0) continue;
    const now = next.find((o) => o.exportName === old.exportName);
    if (!now) throw new EvaluationError(`Export ${old.exportName} cannot be deleted as it is in use by ${importers.join(', ')}`);
    if (now.value !== old.value) throw new EvaluationError(`Cannot update export ${old.exportName} as it is in use by ${importers.join(', ')}`);
  }
}

/** Why a stack cannot be deleted because of its exports, if it can't. */
export function exportsBlockingDelete(store: StackStore, stack: StackRecord): string | undefined {
  for (const output of stack.outputs) {
    if (output.exportName === undefined) continue;
    const importers = importersOf(store, output.exportName, stack.stackId);
    if (importers.length > 0) return `Export ${output.exportName} cannot be deleted as it is in use by ${importers.join(', ')}`;
  }
  return undefined;
}
