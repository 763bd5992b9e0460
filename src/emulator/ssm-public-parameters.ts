import { createHash } from 'node:crypto';
import { globalInfrastructureValue } from './ssm/global-infrastructure.ts';

/**
 * AWS publishes "public parameters" in every account (`/aws/service/...`): latest AMI ids for
 * Amazon Linux, Windows, ECS- and EKS-optimized images. Templates name them in parameter
 * defaults (`AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`), so the local SSM answers them
 * with a stable AMI id per name and region, as an account would. The regions and services of
 * `/aws/service/global-infrastructure` come from the bundled region data (see ssm/global-infrastructure.ts).
 */
const AMI_FAMILIES = [/^\/aws\/service\/ami-[a-z0-9-]+-latest\//, /^\/aws\/service\/(ecs|eks|bottlerocket|canonical|debian|marketplace)\//];

export interface PublicParameter {
  value: string;
  type: 'String';
  dataType: 'text' | 'aws:ec2:image';
}

export function publicParameter(name: string, region: string): PublicParameter | undefined {
  const infrastructure = globalInfrastructureValue(name);
  if (infrastructure !== undefined) return { value: infrastructure, type: 'String', dataType: 'text' };
  if (!AMI_FAMILIES.some((family) => family.test(name))) return undefined;
  const imageId = `ami-${createHash('sha256').update(`${region}:${name.replace(/\/image_id$/, '')}`).digest('hex').slice(0, 17)}`;
  // The ECS "recommended" parameter without a leaf holds a JSON document; the others hold the id.
  if (/\/recommended$/.test(name)) {
    return { value: JSON.stringify({ image_id: imageId, image_name: name.split('/').slice(-3, -1).join('-'), schema_version: 1 }), type: 'String', dataType: 'text' };
  }
  return { value: imageId, type: 'String', dataType: 'aws:ec2:image' };
}
