/**
 * A template value that cannot be evaluated (a missing mapping key, a bad Fn::Select index,
 * an import with no export...). The message is CloudFormation's, and becomes the failing
 * resource's ResourceStatusReason or the API's ValidationError.
 */
export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}
