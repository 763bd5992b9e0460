import {
  CreateBucketCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { PackagePlan } from './package.ts';

const notFound = (error: unknown) => ['NotFound', 'NoSuchBucket', 'NoSuchKey', '404'].includes((error as { name?: string }).name ?? '') || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/** Creates the artifacts bucket when missing: versioned, encrypted, closed to the public. */
export async function ensureArtifactsBucket(s3: S3Client, bucket: string, region: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch (error) {
    if (!notFound(error)) throw error;
  }
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } }));
  await s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
  return true;
}

/** Uploads the artifacts a plan needs; content-hashed keys already there are left alone. */
export async function uploadArtifacts(s3: S3Client, plan: PackagePlan): Promise<{ uploaded: number; unchanged: number }> {
  let uploaded = 0;
  let unchanged = 0;
  for (const artifact of plan.artifacts) {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: plan.bucket, Key: artifact.key }));
      unchanged++;
      continue;
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    await s3.send(new PutObjectCommand({ Bucket: plan.bucket, Key: artifact.key, Body: artifact.body, ContentType: 'application/json' }));
    uploaded++;
  }
  return { uploaded, unchanged };
}
