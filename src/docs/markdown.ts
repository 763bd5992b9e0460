import { getAttTarget, intrinsicName, isObject } from '../template/intrinsics.ts';

/** Text made safe for one cell of a Markdown table: no pipe ends the cell, no newline ends the row. */
export function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
}

/** Inline code that holds any text: a fence longer than the longest run of backticks inside, pipes escaped for tables. */
export function code(text: string): string {
  if (text === '') return '`""`';
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded.replaceAll('|', '\\|').replace(/\r?\n/g, ' ')}${fence}`;
}

/** A Markdown table; cells are written as given (use cell() or code() on text from input). */
export function table(headers: string[], rows: string[][]): string[] {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

/**
 * A template value as a person reads it in the template: `!Ref X`, `!GetAtt A.B`, `!Sub '...'`,
 * literal text as it is; anything else as compact JSON.
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const fn = intrinsicName(value);
  if (fn && isObject(value)) {
    const argument = value[fn];
    if (fn === 'Ref' && typeof argument === 'string') return `!Ref ${argument}`;
    if (fn === 'Fn::GetAtt') {
      const target = getAttTarget(argument);
      if (target) return `!GetAtt ${target[0]}.${target[1] ?? ''}`;
    }
    if (fn === 'Fn::Sub' && typeof argument === 'string') return `!Sub ${argument}`;
    if (fn === 'Fn::ImportValue') return `!ImportValue ${showValue(argument)}`;
  }
  return JSON.stringify(value);
}
