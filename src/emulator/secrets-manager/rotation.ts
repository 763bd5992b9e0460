import { randomUUID } from 'node:crypto';
import { ServiceError } from '../wire.ts';
import { PENDING, CURRENT } from './secret-versions.ts';
import type { Input, RotationRules, StoredSecret } from './secrets.ts';

/**
 * RotateSecret's bookkeeping on the local engine
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html).
 *
 * In AWS, rotation is the work of a Lambda function that Secrets Manager calls in four steps: its
 * createSecret step puts a new version labelled AWSPENDING under the VersionId RotateSecret
 * returned, and its finishSecret step moves AWSCURRENT onto it. The local engine runs no
 * function. So RotateSecret here does what Secrets Manager itself does: it refuses a secret with
 * no rotation function as AWS does (InvalidRequestException), records RotationEnabled, the
 * function's ARN and the RotationRules, and answers the VersionId the rotation is to create. The
 * secret's value does not change until a caller does the function's part (PutSecretValue with
 * that ClientRequestToken and VersionStages [AWSPENDING], then UpdateSecretVersionStage moving
 * AWSCURRENT onto it); that move marks the rotation done (LastRotatedDate).
 */
export function rotateSecret(secret: StoredSecret, input: Input) {
  const lambdaArn = (input.RotationLambdaARN as string | undefined) ?? secret.rotationLambdaArn;
  if (!lambdaArn) throw new ServiceError('InvalidRequestException', 'No Lambda rotation function ARN is associated with this secret.');
  const rules = (input.RotationRules as RotationRules | undefined) ?? secret.rotationRules;
  checkRules(rules);
  const pending = Object.values(secret.versions).some((version) => version.stages.includes(PENDING) && !version.stages.includes(CURRENT));
  if (pending) throw new ServiceError('InvalidRequestException', "A previous rotation isn't complete. That rotation will be reattempted.");
  secret.rotationEnabled = true;
  secret.rotationLambdaArn = lambdaArn;
  if (rules) secret.rotationRules = rules;
  if (input.RotateImmediately === false) return { ARN: secret.arn, Name: secret.name };
  return { ARN: secret.arn, Name: secret.name, VersionId: (input.ClientRequestToken as string | undefined) ?? randomUUID() };
}

/** CancelRotateSecret: automatic rotation off; the function and rules stay for a later RotateSecret. */
export function cancelRotation(secret: StoredSecret) {
  secret.rotationEnabled = false;
  return { ARN: secret.arn, Name: secret.name };
}

/** The rotation fields of DescribeSecret and ListSecrets. */
export function rotationShape(secret: StoredSecret) {
  return {
    RotationEnabled: secret.rotationEnabled === true,
    ...(secret.rotationLambdaArn ? { RotationLambdaARN: secret.rotationLambdaArn } : {}),
    ...(secret.rotationRules ? { RotationRules: secret.rotationRules } : {}),
    ...(secret.lastRotatedDate ? { LastRotatedDate: secret.lastRotatedDate } : {}),
  };
}

// AutomaticallyAfterDays is 1 to 1000 (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html).
function checkRules(rules: RotationRules | undefined): void {
  const days = rules?.AutomaticallyAfterDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 1000)) {
    throw new ServiceError('InvalidParameterException', `The AutomaticallyAfterDays value ${days} is not valid: it must be between 1 and 1000.`);
  }
  if (days !== undefined && rules?.ScheduleExpression !== undefined) {
    throw new ServiceError('InvalidParameterException', 'You can use either AutomaticallyAfterDays or ScheduleExpression in RotationRules, not both.');
  }
}
