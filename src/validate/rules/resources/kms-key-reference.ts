import type { TemplateRule } from '../../rule.ts';
import { literalValues } from './literal-values.ts';

/** Properties that name a KMS key: KmsKeyId, KMSMasterKeyID, KmsMasterKeyId, KmsKeyArn... */
const KMS_KEY_PROPERTY = /^km?s.*key/i;
/** An AWS managed key named without its `alias/` prefix (`aws/sns`). */
const BARE_MANAGED_ALIAS = /^aws\/[a-z0-9-]+$/;

/**
 * A literal KMS key reference AWS rejects by its pattern: an AWS managed key written `aws/sns`
 * where KMS takes `alias/aws/sns` (or a key id or ARN).
 */
export const kmsKeyReference: TemplateRule = {
  scope: 'template',
  id: 'SP3006',
  title: 'KMS key reference AWS rejects',
  severity: 'error',
  docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id',
  check(ctx) {
    for (const literal of literalValues(ctx)) {
      if (!KMS_KEY_PROPERTY.test(literal.property) || !BARE_MANAGED_ALIAS.test(literal.value)) continue;
      ctx.report(literal.path, `${literal.property} ${JSON.stringify(literal.value)} is not a KMS key id, ARN or alias: write alias/${literal.value} for the AWS managed key`);
    }
  },
};
