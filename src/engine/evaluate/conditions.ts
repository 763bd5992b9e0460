import { EvaluationError } from './evaluation-error.ts';
import { evaluateCondition, type EvaluationScope } from './intrinsics.ts';

/**
 * A memoized `condition(name)` for a template's Conditions section. Each condition is
 * evaluated once, on first use; a condition that reaches itself is a template error.
 */
export function conditionResolver(conditions: ReadonlyMap<string, unknown>, scope: () => EvaluationScope): (name: string) => boolean {
  const results = new Map<string, boolean>();
  const evaluating = new Set<string>();
  return (name) => {
    const known = results.get(name);
    if (known !== undefined) return known;
    if (!conditions.has(name)) throw new EvaluationError(`Template format error: Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`);
    if (evaluating.has(name)) throw new EvaluationError(`Template error: Circular dependency between conditions: [${[...evaluating, name].join(', ')}]`);
    evaluating.add(name);
    try {
      const result = evaluateCondition(conditions.get(name), scope());
      results.set(name, result);
      return result;
    } finally {
      evaluating.delete(name);
    }
  };
}
