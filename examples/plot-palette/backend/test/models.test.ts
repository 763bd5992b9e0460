import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobConfig, ModelValidationError, TemplateDefinition, checkpointToJson, parseCheckpoint, validateModel } from '../shared/index.ts';

const created = new Date('2025-11-19T10:00:00.000Z');

function job(overrides: Record<string, unknown> = {}) {
  return { job_id: 'test-123', user_id: 'user-456', status: 'QUEUED', created_at: created, updated_at: created, config: {}, budget_limit: 100, ...overrides };
}

function template(overrides: Record<string, unknown> = {}) {
  return {
    template_id: 'tpl-1',
    version: 1,
    name: 'Author poems',
    user_id: 'user-456',
    template_definition: { steps: [{ id: 'bio', model: 'llama-3.1-8b', prompt: 'Summarise {{ author.biography }}' }, { id: 'poem', model: 'claude-sonnet', prompt: 'Write a poem about {{ steps.bio }}' }] },
    schema_requirements: ['author.biography'],
    created_at: created,
    ...overrides,
  };
}

describe('JobConfig', () => {
  it('creates a queued job with zero usage by default', () => {
    const parsed = validateModel(JobConfig, job());
    assert.equal(parsed.status, 'QUEUED');
    assert.equal(parsed.tokens_used, 0);
    assert.equal(parsed.records_generated, 0);
    assert.equal(parsed.cost_estimate, 0);
  });

  it('reads ISO 8601 timestamps as dates, offsets included', () => {
    const parsed = validateModel(JobConfig, job({ created_at: '2025-11-19T12:00:00+02:00', updated_at: '2025-11-19T10:30:00Z' }));
    assert.deepEqual(parsed.created_at, created);
    assert.equal(parsed.updated_at.toISOString(), '2025-11-19T10:30:00.000Z');
  });

  it('names every field at fault', () => {
    assert.throws(
      () => validateModel(JobConfig, job({ status: 'PAUSED', budget_limit: 0, tokens_used: 1.5, created_at: '19/11/2025' })),
      (error: unknown) => {
        assert.ok(error instanceof ModelValidationError);
        assert.equal(error.model, 'JobConfig');
        assert.deepEqual(error.issues.map((issue) => issue.path.join('.')).sort(), ['budget_limit', 'created_at', 'status', 'tokens_used']);
        assert.match(error.message, /^invalid JobConfig: .*status Invalid option: expected one of "QUEUED"\|"RUNNING"/);
        return true;
      },
    );
  });

  it('refuses a job updated before it was created', () => {
    assert.throws(() => validateModel(JobConfig, job({ updated_at: new Date('2025-11-19T09:59:59Z') })), /invalid JobConfig: updated_at is earlier than created_at/);
  });
});

describe('TemplateDefinition', () => {
  it('accepts a multi-step template over priced models, by short name or Bedrock id', () => {
    const parsed = validateModel(TemplateDefinition, template());
    assert.equal(parsed.is_public, false);
    assert.deepEqual(parsed.template_definition.steps.map((s) => s.id), ['bio', 'poem']);
    const byBedrockId = template({ template_definition: { steps: [{ id: 'only', model: 'meta.llama3-1-70b-instruct-v1:0', prompt: 'p' }] } });
    assert.equal(validateModel(TemplateDefinition, byBedrockId).template_definition.steps[0].model, 'meta.llama3-1-70b-instruct-v1:0');
  });

  it('refuses unpriced models, repeated step ids and malformed field paths', () => {
    const steps = [{ id: 'a', model: 'anthropic.claude-v2', prompt: 'x' }, { id: 'a', prompt: 'y' }];
    assert.throws(
      () => validateModel(TemplateDefinition, template({ template_definition: { steps }, schema_requirements: ['author..name'] })),
      (error: unknown) => {
        assert.ok(error instanceof ModelValidationError);
        assert.deepEqual(error.issues.map((i) => `${i.path.join('.')} ${i.message}`).sort(), [
          'schema_requirements.0 must be a dotted field path such as author.biography',
          'template_definition.steps step ids must be unique',
          'template_definition.steps.0.model is not a model Plot Palette can price (see MODEL_PRICING)',
        ]);
        return true;
      },
    );
  });
});

describe('CheckpointState', () => {
  const state = { job_id: 'job-1', records_generated: 150, current_batch: 3, tokens_used: 48_200, cost_accumulated: 0.21, last_updated: created, resume_state: { seed_cursor: 150 } };

  it('round-trips through its JSON form, dates as ISO 8601', () => {
    const json = checkpointToJson(state);
    assert.equal(JSON.parse(json).last_updated, '2025-11-19T10:00:00.000Z');
    assert.deepEqual(parseCheckpoint(json), state);
  });

  it('reports malformed or incomplete checkpoints as model errors', () => {
    assert.throws(() => parseCheckpoint('{"job_id": "job-1",'), /^ModelValidationError: invalid CheckpointState: \(record\) is not JSON/);
    assert.throws(() => parseCheckpoint('{"job_id": "job-1"}'), (error: unknown) => error instanceof ModelValidationError && error.issues.some((i) => i.path[0] === 'records_generated'));
  });
});
