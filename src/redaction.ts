/**
 * Secrets (NoEcho parameter values, resolved secure dynamic references) replaced by `****` in
 * text that is shown: the one way both the local engine (its event reasons) and stackpilot's
 * writers (through a Redactor: the terminal, --json, the log file, the outputs file) mask them.
 */

const MASK = '****';

/**
 * Values shorter than this are not looked for: a secret of one to three characters would mask
 * every word that holds it. (CloudFormation shows a NoEcho parameter as `****` whatever its
 * length; stackpilot does too where it shows the parameter itself.)
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * Base64 fragments shorter than this are not looked for inside a longer Base64 text: they would
 * turn up by chance in identifiers. The Base64 of the value alone is looked for whatever its length.
 */
const MIN_FRAGMENT_LENGTH = 8;

/**
 * The characters of `bytes` in the Base64 of a longer text that has them at an offset of
 * `offset` (0, 1 or 2) bytes past a multiple of three: the characters no byte around them affects.
 */
function base64Fragment(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
}

/** How a secret can appear in text stackpilot shows: as it is, JSON-escaped, Base64 (alone, or inside the Base64 of a longer text). */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const fragments = [0, 1, 2].map((offset) => base64Fragment(bytes, offset)).filter((f) => f.length >= MIN_FRAGMENT_LENGTH);
  return [secret, JSON.stringify(secret).slice(1, -1), bytes.toString('base64'), ...fragments];
}

/** Every form of every secret long enough to look for, longest first (so a longer form is masked whole before a shorter one inside it). */
export function secretForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) if (secret.length >= MIN_SECRET_LENGTH) for (const form of formsOf(secret)) forms.add(form);
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The text with each of `forms` (see secretForms) replaced by `****`. */
export function maskForms(text: string, forms: readonly string[]): string {
  let masked = text;
  for (const form of forms) if (masked.includes(form)) masked = masked.split(form).join(MASK);
  return masked;
}

/** The text with every secret, in every form stackpilot recognises, replaced by `****`. */
export function redactText(text: string, secrets: Iterable<string>): string {
  return maskForms(text, secretForms(secrets));
}

/**
 * The secrets of one run (deploy, plan, status, outputs, delete), and the one way to hide them
 * in what stackpilot writes. The library learns them as it goes and keeps using the real values
 * (an upstream output passed to a downstream parameter); whatever writes (the CLI's views, the
 * log file, the outputs file, error messages) passes its text through here first.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  /** Every form of every secret, longest first: worked out once per secret learned, not per text. */
  private forms: string[] = [];

  learn(values: Iterable<string>): void {
    const known = this.secrets.size;
    for (const value of values) this.secrets.add(value);
    if (this.secrets.size > known) this.forms = secretForms(this.secrets);
  }

  /** The text with every secret (as it is, JSON-escaped, in Base64) replaced by `****`. */
  redact(text: string): string {
    return maskForms(text, this.forms);
  }

  /** A copy of a value (an event, outputs) with every string in it redacted; dates and other class instances as they are. */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactValue(item)) as T;
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.redactValue(item)])) as T;
    }
    return value;
  }
}
