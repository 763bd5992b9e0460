import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor, redactText } from '../src/redaction.ts';

const SECRET = 'Sup3rS3cretValue!';
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('redaction', () => {
  it('masks a secret wherever it stands in a longer text', () => {
    assert.equal(redactText(`Value '${SECRET}' at 'tableName'; again:${SECRET}.`, [SECRET]), "Value '****' at 'tableName'; again:****.");
  });

  it('masks it JSON-escaped, inside JSON text', () => {
    const quoted = 'pa"ss\\word';
    const json = JSON.stringify({ reason: `bad value ${quoted}` });
    assert.equal(redactText(json, [quoted]), '{"reason":"bad value ****"}');
  });

  it('masks its Base64, alone and inside the Base64 of a longer text at any offset', () => {
    assert.equal(redactText(`UserData: ${base64(SECRET)}`, [SECRET]), 'UserData: ****');
    for (const prefix of ['', 'a', 'ab', 'abc', 'user:']) {
      const masked = redactText(base64(`${prefix}${SECRET}:tail`), [SECRET]);
      // What is left encodes the text around the secret (and a character shared with it on each side).
      assert.match(masked, /^[A-Za-z0-9+/=]*\*\*\*\*[A-Za-z0-9+/=]*$/, prefix);
      assert.ok(masked.length - 4 <= base64(`${prefix}:tail`).length + 4, `offset ${prefix.length}: ${masked}`);
    }
  });

  it('leaves values of fewer than 4 characters alone: they would mask unrelated words', () => {
    assert.equal(redactText('the stack is ready', ['a', 'is', 'the']), 'the stack is ready');
    assert.equal(redactText('pin 1234', ['1234']), 'pin ****');
  });

  it('looks for Base64 fragments of 8 characters and more inside longer Base64, and not for shorter ones', () => {
    // 'hunter2' one byte past a multiple of three leaves exactly 8 characters no neighbour affects.
    const around = base64('xhunter2yy');
    assert.ok(!redactText(around, ['hunter2']).includes(around.slice(2, 10)), redactText(around, ['hunter2']));
    assert.match(redactText(around, ['hunter2']), /\*\*\*\*/);
    // 'abcd' leaves at most 5 such characters ('YWJjZ'): an identifier that holds them by chance stays as it is.
    assert.equal(redactText('stack id XYWJjZQ7', ['abcd']), 'stack id XYWJjZQ7');
  });

  it('masks the longest secret whole when one holds another', () => {
    assert.equal(redactText('token=abcd-efgh', ['abcd', 'abcd-efgh']), 'token=****');
  });

  it('learns secrets as a run goes, and masks every string in a value while dates stay dates', () => {
    const secrets = new Redactor();
    assert.equal(secrets.redact(SECRET), SECRET, 'nothing is known yet');
    secrets.learn([SECRET]);
    const at = new Date(0);
    const event = { code: 'resource', reason: `bad ${SECRET}`, timestamp: at, nestedPath: [SECRET], failure: { reason: SECRET } };
    assert.deepEqual(secrets.redactValue(event), { code: 'resource', reason: 'bad ****', timestamp: at, nestedPath: ['****'], failure: { reason: '****' } });
    assert.equal(event.reason, `bad ${SECRET}`, 'the value itself is left as it was');
  });
});
