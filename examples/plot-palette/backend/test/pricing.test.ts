import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL_PRICING, PricingError, buildCostBreakdown, calculateCost, fargateCost, resolveModel, s3RequestCost } from '../shared/index.ts';

/** Equal to the cent's ten-thousandth: prices are decimals, computed in binary floating point. */
function assertUsd(actual: number, expected: number) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);
}

describe('calculateCost', () => {
  it('prices input and output tokens per million, for each of the four models', () => {
    const million = { input: 1_000_000, output: 1_000_000 };
    assert.equal(calculateCost(million, 'claude-sonnet'), 18);
    assertUsd(calculateCost(million, 'llama-3.1-70b'), 1.98);
    assertUsd(calculateCost(million, 'llama-3.1-8b'), 0.9);
    assertUsd(calculateCost(million, 'mistral-7b'), 0.35);
    assertUsd(calculateCost({ input: 1200, output: 350 }, 'claude-sonnet'), (1200 * 3 + 350 * 15) / 1_000_000);
    assert.equal(calculateCost({ input: 0, output: 0 }, 'mistral-7b'), 0);
  });

  it('knows a model by its Bedrock id and by a cross-region inference profile', () => {
    const tokens = { input: 5000, output: 2000 };
    const { bedrockModelId } = MODEL_PRICING['claude-sonnet'];
    assert.equal(calculateCost(tokens, bedrockModelId), calculateCost(tokens, 'claude-sonnet'));
    assert.equal(calculateCost(tokens, `us.${bedrockModelId}`), calculateCost(tokens, 'claude-sonnet'));
    assert.equal(resolveModel('eu.mistral.mistral-7b-instruct-v0:2')?.name, 'mistral-7b');
  });

  it('says which models it knows when given another', () => {
    assert.throws(() => calculateCost({ input: 1, output: 1 }, 'anthropic.claude-v2'), {
      name: 'PricingError',
      message: 'no price for model "anthropic.claude-v2"; known models: claude-sonnet, llama-3.1-70b, llama-3.1-8b, mistral-7b (or their Bedrock model ids)',
    });
  });

  it('refuses token counts that are not whole and non-negative', () => {
    assert.throws(() => calculateCost({ input: -1, output: 0 }, 'mistral-7b'), /input tokens must be a whole number of at least 0, got -1/);
    assert.throws(() => calculateCost({ input: 0, output: 2.5 }, 'mistral-7b'), PricingError);
    assert.throws(() => calculateCost({ input: Number.NaN, output: 0 }, 'mistral-7b'), PricingError);
  });
});

describe('Fargate Spot and S3 request costs', () => {
  it('prices vCPU and memory hours', () => {
    assertUsd(fargateCost({ vcpu: 1, memoryGb: 2, hours: 1 }), 0.01246 + 2 * 0.00127);
    assertUsd(fargateCost({ vcpu: 0.5, memoryGb: 1, hours: 10 }), 10 * (0.5 * 0.01246 + 0.00127));
    assert.throws(() => fargateCost({ vcpu: 1, memoryGb: -2, hours: 1 }), /Fargate memoryGb must be a non-negative number, got -2/);
  });

  it('prices requests per thousand', () => {
    assertUsd(s3RequestCost({ puts: 1000, gets: 1000 }), 0.0054);
    assertUsd(s3RequestCost({ puts: 1, gets: 0 }), 0.000005);
  });
});

describe('buildCostBreakdown', () => {
  it('sums the services into the record the CostTracking table keeps for 90 days', () => {
    const at = new Date('2025-11-19T10:00:00.000Z');
    const record = buildCostBreakdown({ jobId: 'job-1', at, model: 'llama-3.1-8b', tokens: { input: 400_000, output: 100_000 }, fargate: { vcpu: 1, memoryGb: 2, hours: 0.5 }, s3: { puts: 20, gets: 3 } });
    assert.equal(record.bedrock_tokens, 500_000);
    assert.equal(record.s3_operations, 23);
    assertUsd(record.breakdown.bedrock, 0.12 + 0.06);
    assertUsd(record.breakdown.fargate, 0.5 * (0.01246 + 0.00254));
    assertUsd(record.estimated_cost, record.breakdown.bedrock + record.breakdown.fargate + record.breakdown.s3);
    assert.equal(new Date(record.ttl * 1000).toISOString(), '2026-02-17T10:00:00.000Z');
  });
});
