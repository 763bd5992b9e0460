import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type LoggerOptions } from '../shared/index.ts';

function capture(options: LoggerOptions = {}) {
  const lines: string[] = [];
  const logger = createLogger('worker', { level: 'info', now: () => new Date('2025-11-19T10:00:00.000Z'), write: (line) => lines.push(line), ...options });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line)) };
}

describe('createLogger', () => {
  it('writes one JSON object per line, with time, level, logger and fields', () => {
    const { logger, lines, entries } = capture();
    logger.info('batch written', { job_id: 'job-1', records: 50 });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0].includes('\n'));
    assert.deepEqual(entries(), [{ job_id: 'job-1', records: 50, timestamp: '2025-11-19T10:00:00.000Z', level: 'info', logger: 'worker', message: 'batch written' }]);
  });

  it('drops levels below its own and keeps the rest', () => {
    const { logger, entries } = capture({ level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    assert.deepEqual(entries().map((e) => e.level), ['warn', 'error']);
  });

  it('adds a child\'s fields to every line, and fields cannot overwrite the line\'s own keys', () => {
    const { logger, entries } = capture();
    const job = logger.child({ job_id: 'job-7' });
    job.info('started', { level: 'forged', attempt: 2 });
    job.child({ step: 'poem' }).warn('slow');
    assert.deepEqual(
      entries().map(({ job_id, level, attempt, step }) => ({ job_id, level, attempt, step })),
      [
        { job_id: 'job-7', level: 'info', attempt: 2, step: undefined },
        { job_id: 'job-7', level: 'warn', attempt: undefined, step: 'poem' },
      ],
    );
  });

  it('writes errors, big integers, shared and circular values without throwing', () => {
    const { logger, entries } = capture();
    const shared = { region: 'us-east-1' };
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.error('Bedrock call failed', { error: new TypeError('socket hang up'), tokens: 2n ** 64n, first: shared, second: shared, loop });
    const [entry] = entries();
    assert.equal(entry.error.name, 'TypeError');
    assert.equal(entry.error.message, 'socket hang up');
    assert.match(entry.error.stack, /TypeError: socket hang up\n\s+at /);
    assert.equal(entry.tokens, '18446744073709551616');
    assert.deepEqual([entry.first, entry.second], [shared, shared]);
    assert.deepEqual(entry.loop, { name: 'loop', self: '[Circular]' });
  });

  it('takes its level from LOG_LEVEL, and says what is wrong with a bad one', () => {
    const saved = process.env.LOG_LEVEL;
    try {
      process.env.LOG_LEVEL = 'DEBUG';
      const { logger, entries } = capture({ level: undefined });
      logger.debug('visible');
      assert.equal(entries().length, 1);
      process.env.LOG_LEVEL = 'verbose';
      assert.throws(() => createLogger('worker'), /LOG_LEVEL is "verbose"; set it to one of debug, info, warn, error/);
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });
});
