import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { maskForms, secretForms } from '../redaction.ts';
import { STATE_FILE_MODE, StateFileProblem, damagedState, isJsonObject, makeStateFolder, temporaryPathFor, type StateDocumentSpec } from './state-files.ts';

/** The file, in a local state folder, of the key its secret values are sealed with. */
export const SECRETS_KEY_FILE = 'secrets.key';

/** A sealed value is a string, so documents keep their shape: this prefix, then base64 of iv, tag and ciphertext. */
const SEALED_PREFIX = 'stackpilot-sealed:v1:';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals the secret values of a local state folder (NoEcho parameter values, SecureStrings, secret
 * values) inside the JSON documents that hold them, with AES-256-GCM under a random key kept in
 * `secrets.key` beside them: made on first use, readable by its owner only. A file read alone (a
 * grep, a backup of one file, a file attached to a bug report) then shows no secret in the clear;
 * whoever can read the whole folder as its owner has the key too.
 */
export class StateSecrets {
  private key: Buffer | undefined;
  /** Secrets the local account holds (NoEcho values, resolved secure references): wherever one is carried, in any form the redaction knows, the text is sealed. */
  private readonly known = new Set<string>();
  private knownForms: string[] | undefined;
  /** Texts found sealed on disk: they stay sealed when written again, though the secret in them may be unknown to this process. */
  private readonly sealedBefore = new Set<string>();

  constructor(readonly keyPath: string) {}

  /** The secrets of the state in `folder`, keyed by `<folder>/secrets.key`. */
  static inFolder(folder: string): StateSecrets {
    return new StateSecrets(join(folder, SECRETS_KEY_FILE));
  }

  /** Values to seal wherever they appear in the state, from now on. */
  remember(values: Iterable<string>): void {
    for (const value of values) {
      if (value === '' || this.known.has(value)) continue;
      this.known.add(value);
      this.knownForms = undefined;
    }
  }

  /**
   * Whether a text holds a secret: one that was sealed before, a known secret itself, or a text
   * in which the redaction finds one (as it is, JSON-escaped, in Base64) — short secrets only
   * whole, as the redaction looks for them.
   */
  holdsKnownSecret(text: string): boolean {
    if (this.sealedBefore.has(text) || this.known.has(text)) return true;
    this.knownForms ??= secretForms(this.known);
    return maskForms(text, this.knownForms) !== text;
  }

  seal(value: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.sealingKey(), iv);
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /**
   * The value that was sealed; a value that is not sealed (written by a version that did not seal)
   * as it is. One that cannot be opened (no key, another key, damaged) throws a StateFileProblem.
   */
  unseal(value: string): string {
    if (!isSealed(value)) return value;
    const key = this.openingKey();
    const sealed = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64');
    try {
      const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const text = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      this.sealedBefore.add(text);
      return text;
    } catch {
      throw new StateFileProblem(`has a sealed secret value that the key in ${this.keyPath} cannot open: the key is not the one it was sealed with, or the value is damaged`);
    }
  }

  /**
   * The JSON text of a value with every string `isSecret` picks sealed (object keys are left as
   * they are). Strings that look sealed are sealed again, so that every sealed-looking string read
   * back was sealed here.
   */
  sealedJson(value: unknown, isSecret: (text: string) => boolean): string {
    return JSON.stringify(value, (_key, entry: unknown) => (typeof entry === 'string' && (isSecret(entry) || isSealed(entry)) ? this.seal(entry) : entry));
  }

  /** A copy of a JSON value with every sealed string opened (see `unseal`). */
  unsealStrings<T>(value: T): T {
    return mapStrings(value, (text) => this.unseal(text)) as T;
  }

  private sealingKey(): Buffer {
    this.key ??= this.readKey() ?? this.createKey();
    return this.key;
  }

  private openingKey(): Buffer {
    this.key ??= this.readKey();
    if (!this.key) throw new StateFileProblem(`has sealed secret values, but their key file ${this.keyPath} is missing`);
    return this.key;
  }

  private readKey(): Buffer | undefined {
    let text: string;
    try {
      text = readFileSync(this.keyPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw damagedState(`The key of the local state's secret values, ${this.keyPath}, cannot be read: ${(error as Error).message}`, this.keyPath);
    }
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64') !== text.trim()) {
      throw damagedState(`The key of the local state's secret values, ${this.keyPath}, is not a key (${KEY_BYTES} bytes in base64)`, this.keyPath);
    }
    return key;
  }

  // The key appears whole in one step (a hard link to a written file), and never replaces one
  // that is already there: values sealed with that one would be lost.
  private createKey(): Buffer {
    const key = randomBytes(KEY_BYTES);
    makeStateFolder(dirname(this.keyPath));
    const draft = temporaryPathFor(this.keyPath);
    writeFileSync(draft, `${key.toString('base64')}\n`, { mode: STATE_FILE_MODE });
    try {
      linkSync(draft, this.keyPath);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return this.readKey()!;
      throw error;
    } finally {
      rmSync(draft, { force: true });
    }
  }
}

/**
 * The decode and encode of a JSON document (see JsonDocument) whose secret values `mapSecrets`
 * reaches: opened when read, sealed when written. None without secrets (state in memory).
 */
export function sealedValuesOf<T>(secrets: StateSecrets | undefined, mapSecrets: (document: T, map: (value: string) => string) => T): Pick<StateDocumentSpec<T>, 'decode' | 'encode'> {
  if (!secrets) return {};
  return {
    decode: (value) => mapSecrets(value as T, (text) => secrets.unseal(text)),
    encode: (document) => mapSecrets(document, (text) => secrets.seal(text)),
  };
}

export function isSealed(text: string): boolean {
  return text.startsWith(SEALED_PREFIX);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((entry) => mapStrings(entry, map));
  // fromEntries defines `__proto__` as an own key, as JSON.parse does: a name like any other.
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, mapStrings(entry, map)]));
  return value;
}
