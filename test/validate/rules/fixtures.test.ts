import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validatePath } from '../../../src/validate/validate.ts';
import { rules } from './support.ts';

describe('the rule fixtures (test/fixtures/rules)', () => {
  it('read as YAML or JSON, but those of the rules about reading files: a fixture that does not read proves nothing of the rule it is for', () => {
    const unreadable: string[] = [];
    let checked = 0;
    for (const rule of readdirSync(rules()).filter((name) => !name.startsWith('SP000'))) {
      for (const name of readdirSync(rules(rule))) {
        checked++;
        const reading = validatePath(join(rules(rule), name), { today: '2026-11-30' }).diagnostics.filter((d) => d.rule.startsWith('SP000'));
        unreadable.push(...reading.map((d) => `${rule}/${name} ${d.line}:${d.column} ${d.rule} ${d.message}`));
      }
    }
    assert.ok(checked > 50, `${checked} fixtures checked`);
    assert.deepEqual(unreadable, []);
  });
});
