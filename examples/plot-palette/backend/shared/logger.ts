/**
 * Structured logging: one JSON object per line, which CloudWatch Logs Insights queries by
 * field. Errors keep their name, message and stack; values JSON cannot hold are written as text.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` (a job id, a request id) to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** The lowest level written; by default the LOG_LEVEL environment variable, else info. */
  level?: LogLevel;
  /** Where lines go; by default standard output, which Lambda and ECS send to CloudWatch. */
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? levelFromEnvironment());
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const make = (context: LogFields): Logger => {
    const log = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      write(serialize({ ...context, ...fields, timestamp: now().toISOString(), level, logger: name, message }));
    };
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (fields) => make({ ...context, ...fields }) };
  };
  return make({});
}

function levelFromEnvironment(): LogLevel {
  const value = process.env.LOG_LEVEL?.toLowerCase();
  if (value === undefined || value === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new RangeError(`LOG_LEVEL is "${process.env.LOG_LEVEL}"; set it to one of ${LOG_LEVELS.join(', ')}`);
}

function serialize(entry: LogFields): string {
  // The objects enclosing the value being written; only a value among them is a cycle.
  const ancestors: object[] = [];
  return JSON.stringify(entry, function (this: object, _key: string, value: unknown) {
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    if (typeof value === 'bigint') return value.toString();
    if (value !== null && typeof value === 'object') {
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(value)) return '[Circular]';
      ancestors.push(value);
    }
    return value;
  });
}
