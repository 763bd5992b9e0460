import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CostBreakdown, JobConfig, ModelValidationError, TemplateDefinition, buildCostBreakdown, fromItem, toItem, validateModel } from '../shared/index.ts';

const created = new Date('2025-11-19T10:00:00.000Z');
const job = validateModel(JobConfig, {
  job_id: 'test-job-123',
  user_id: 'user-456',
  status: 'RUNNING',
  created_at: created,
  updated_at: new Date('2025-11-19T10:05:30.250Z'),
  config: { template_id: 'tpl-1', num_records: 500, output_format: 'JSONL', seed_data_path: 's3://bucket/seed/authors.json' },
  budget_limit: 25.5,
  tokens_used: 48_200,
  records_generated: 150,
  cost_estimate: 0.21,
});

describe('DynamoDB items', () => {
  it('stores a job in the Jobs table\'s attribute types, dates as ISO 8601 strings', () => {
    assert.deepEqual(toItem(JobConfig, job), {
      job_id: { S: 'test-job-123' },
      user_id: { S: 'user-456' },
      status: { S: 'RUNNING' },
      created_at: { S: '2025-11-19T10:00:00.000Z' },
      updated_at: { S: '2025-11-19T10:05:30.250Z' },
      config: { M: { template_id: { S: 'tpl-1' }, num_records: { N: '500' }, output_format: { S: 'JSONL' }, seed_data_path: { S: 's3://bucket/seed/authors.json' } } },
      budget_limit: { N: '25.5' },
      tokens_used: { N: '48200' },
      records_generated: { N: '150' },
      cost_estimate: { N: '0.21' },
    });
  });

  it('reads back exactly what it wrote, for every table\'s model', () => {
    assert.deepEqual(fromItem(JobConfig, toItem(JobConfig, job)), job);
    const template = validateModel(TemplateDefinition, { template_id: 't', version: 3, name: 'n', user_id: 'u', template_definition: { steps: [{ id: 's', prompt: 'p' }] }, schema_requirements: ['poem.text'], created_at: created, is_public: true });
    const templateItem = toItem(TemplateDefinition, template);
    assert.deepEqual(templateItem.version, { N: '3' });
    assert.deepEqual(templateItem.schema_requirements, { L: [{ S: 'poem.text' }] });
    assert.deepEqual(fromItem(TemplateDefinition, templateItem), template);
    const cost = buildCostBreakdown({ jobId: 'j', at: created, model: 'mistral-7b', tokens: { input: 10, output: 20 }, fargate: { vcpu: 1, memoryGb: 2, hours: 0.1 }, s3: { puts: 1, gets: 1 } });
    assert.deepEqual(fromItem(CostBreakdown, toItem(CostBreakdown, cost)), cost);
  });

  it('checks a record before writing it and after reading it', () => {
    assert.throws(() => toItem(JobConfig, { ...job, status: 'DONE' as never }), ModelValidationError);
    const item = toItem(JobConfig, job);
    assert.throws(() => fromItem(JobConfig, { ...item, budget_limit: { S: 'lots' } }), /invalid JobConfig: budget_limit Invalid input: expected number, received string/);
    const { user_id: _, ...withoutUser } = item;
    assert.throws(() => fromItem(JobConfig, withoutUser), /invalid JobConfig: user_id/);
  });

  it('leaves unset optional fields out of the item', () => {
    const template = validateModel(TemplateDefinition, { template_id: 't', version: 1, name: 'n', user_id: 'u', template_definition: { steps: [{ id: 's', prompt: 'p', model: undefined }] }, created_at: created });
    assert.deepEqual(toItem(TemplateDefinition, template).template_definition, { M: { steps: { L: [{ M: { id: { S: 's' }, prompt: { S: 'p' } } }] } } });
  });
});
