import { RE2JS } from 're2js';
import { MAX_PATTERN_WORK } from './limits.ts';

/**
 * Regular expressions taken from input (AllowedPattern, names with wildcards) run on RE2
 * (re2js): time linear in the text, whatever the pattern, where JavaScript's backtracking
 * engine can take exponential time (`^(a|a)*$` on forty a's and a b). CloudFormation reads
 * AllowedPattern as a Java regular expression; RE2 reads the same syntax except what needs
 * backtracking, which is reported rather than guessed at.
 */
export type UserPattern =
  | { ok: true; source: string; matches(text: string): boolean | 'too-long' }
  | { ok: false; source: string; problem: 'unsupported' | 'invalid'; reason: string };

// `.` matches newlines too, as stackpilot has always read AllowedPattern; lookbehind has a linear-time form in re2js.
const FLAGS = RE2JS.DOTALL | RE2JS.LOOKBEHINDS;

/** Java syntax RE2 has no linear-time form for, by the fragment RE2's error quotes. */
const UNSUPPORTED: [RegExp, string][] = [
  [/^\(\?[=!]/, 'lookahead'],
  [/^\(\?<[=!]/, 'lookbehind with a capture or a form RE2 cannot run'],
  [/^\\[1-9k]/, 'backreference'],
  [/^\(\?>/, 'atomic group'],
  [/^(?:[*+?]|\{\d*,?\d*\})\+$/, 'possessive quantifier'],
];

/** What needs saying about a pattern RE2 refused: a feature it lacks, or a pattern that is wrong. */
function describeRefusal(source: string, message: string): UserPattern {
  const fragment = /`([^`]*)`$/.exec(message)?.[1] ?? '';
  for (const [shape, feature] of UNSUPPORTED) {
    if (shape.test(fragment)) return { ok: false, source, problem: 'unsupported', reason: `a ${feature} (${fragment})` };
  }
  return { ok: false, source, problem: 'invalid', reason: message.replace(/^error parsing regexp: /, '') };
}

const compiled = new Map<string, UserPattern>();

/** A pattern that must match a whole value (as Java's String.matches does), compiled once. */
export function compileUserPattern(source: string): UserPattern {
  let pattern = compiled.get(source);
  if (!pattern) {
    try {
      const re = RE2JS.compile(source, FLAGS);
      // Matching costs up to pattern length x text length: past the budget it is not run at all.
      pattern = { ok: true, source, matches: (text) => (source.length * text.length > MAX_PATTERN_WORK ? 'too-long' : re.testExact(text)) };
    } catch (error) {
      pattern = describeRefusal(source, (error as Error).message);
    }
    // Kept for the next value: only patterns of a usual size, and not too many (a long-lived
    // local serve would otherwise keep every pattern of every template it was sent).
    if (compiled.size >= 256) compiled.clear();
    if (source.length <= 4096) compiled.set(source, pattern);
  }
  return pattern;
}

/** Whether `text` is `parts` with each null replaced by any text (a name some parts of which are unknown). */
export function matchesWildcards(parts: readonly (string | null)[], text: string): boolean {
  // More literal text than `text` has cannot match; this also keeps the pattern no longer than `text` needs.
  if (parts.reduce((length, part) => length + (part?.length ?? 0), 0) > text.length) return false;
  const source = parts.map((part) => (part === null ? '.*' : RE2JS.quote(part))).join('');
  const pattern = compileUserPattern(source);
  return pattern.ok && pattern.matches(text) === true;
}
