import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundledPrices, unitPrice } from '../../src/cost/prices.ts';
import { ESTIMATORS } from '../../src/cost/estimators/index.ts';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'];

describe('bundled prices (data/prices.json)', () => {
  const book = bundledPrices();

  it('gives every price in each of the five regions the estimates promise, with its unit', () => {
    const missing: string[] = [];
    for (const [service, entry] of Object.entries(book.services)) {
      for (const [key, price] of Object.entries(entry.prices)) {
        for (const region of REGIONS) if (!Object.hasOwn(price.regions, region)) missing.push(`${service} ${key} ${region}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('names the AWS pricing page and the date of every service\'s prices', () => {
    assert.ok(Object.keys(book.services).length > 10, 'the book holds the services the estimators price');
    for (const [service, entry] of Object.entries(book.services)) {
      assert.match(entry.source, /^https:\/\/aws\.amazon\.com\/[a-z0-9/-]+\/pricing\/$/, service);
      assert.match(entry.asOf, /^\d{4}-\d{2}-\d{2}$/, service);
    }
  });

  it('prices the services of the three example projects and the Bedrock models Plot Palette prices', () => {
    for (const [service, key] of [
      ['nat-gateway', 'hour'], ['nat-gateway', 'gb-processed'], ['vpc-endpoint', 'interface-hour'], ['fargate', 'spot-vcpu-hour'], ['fargate', 'gb-hour'],
      ['lambda', 'requests'], ['api-gateway', 'rest-requests'], ['api-gateway', 'http-requests'], ['api-gateway', 'websocket-messages'],
      ['dynamodb', 'on-demand-writes'], ['dynamodb', 'wcu-hour'], ['dynamodb', 'storage'], ['dynamodb', 'pitr'], ['dynamodb', 'backup'],
      ['s3', 'standard-storage'], ['s3', 'put-requests'], ['cloudfront', 'gb-out'], ['waf', 'web-acl'], ['elasticache', 'node:cache.r6g.large'],
      ['redshift-serverless', 'rpu-hour'], ['kinesis', 'shard-hour'], ['firehose', 'gb-ingested'], ['glue', 'dpu-hour'], ['glue', 'crawler-dpu-hour'],
      ['cognito', 'mau'], ['amplify', 'build-minute'], ['cloudwatch', 'logs-ingested'], ['cloudwatch', 'metric'], ['cloudwatch', 'alarm'], ['cloudwatch', 'dashboard'],
      ['xray', 'traces-recorded'], ['secrets-manager', 'secret'], ['kms', 'key'], ['sagemaker', 'instance:ml.m5.large'],
      ['bedrock', 'anthropic.claude-3-5-sonnet:input'], ['bedrock', 'meta.llama3-1-70b:output'], ['bedrock', 'meta.llama3-1-8b:input'], ['bedrock', 'mistral.mistral-7b:output'],
    ]) {
      assert.ok(unitPrice(book, service, key, 'eu-central-1'), `${service} ${key}`);
    }
  });

  it('does not list a type both as free and as priced', () => {
    assert.deepEqual(book.free.types.filter((type) => ESTIMATORS.has(type)), []);
  });
});
