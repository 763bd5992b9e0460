import { isObject } from '../../../template/intrinsics.ts';
import type { TemplateRule } from '../../rule.ts';

const SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

/** A bucket should block public access unless it says otherwise, setting by setting. */
export const s3PublicAccess: TemplateRule = {
  scope: 'template',
  id: 'SP3103',
  title: 'S3 bucket without a public access block',
  severity: 'warning',
  docs: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
  check({ model, report }) {
    for (const resource of model.resources.values()) {
      if (resource.type !== 'AWS::S3::Bucket') continue;
      const block = resource.properties.PublicAccessBlockConfiguration;
      if (block === undefined) {
        report(['Resources', resource.logicalId], `Bucket ${resource.logicalId} has no PublicAccessBlockConfiguration: set all four settings to true unless it must be public`, { at: 'key' });
      } else if (isObject(block) && !('Fn::If' in block)) {
        const missing = SETTINGS.filter((s) => !(s in block));
        if (missing.length > 0) {
          report(['Resources', resource.logicalId, 'Properties', 'PublicAccessBlockConfiguration'], `The public access block of ${resource.logicalId} leaves out ${missing.join(', ')} (they default to false)`, { at: 'key' });
        }
      }
    }
  },
};
