import pc from 'picocolors';
import type { Redactor } from '../redaction.ts';
import type { Colors } from '../validate/format/text.ts';

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org), always with FORCE_COLOR. */
export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Colors {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0';
  const enabled = forced || (stream.isTTY === true && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb');
  return pc.createColors(enabled);
}

/** Standard output and error as a command writes to them: text with the run's secrets masked. */
export interface Writers {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function redactingWriters(secrets: Redactor): Writers {
  return {
    out: (text) => void process.stdout.write(secrets.redact(text)),
    err: (text) => void process.stderr.write(secrets.redact(text)),
  };
}
