import { StackpilotError } from '../errors.ts';

/** Today in UTC, as YYYY-MM-DD: the day a check is for unless told otherwise. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A day given as YYYY-MM-DD (`--as-of`), checked to exist on the calendar (no 2027-02-30). */
export function parseCheckDay(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) {
    throw new StackpilotError('BadCheckDay', `${JSON.stringify(text)} is not a day`, 'Give it as YYYY-MM-DD, such as 2027-06-30.');
  }
  return text;
}
