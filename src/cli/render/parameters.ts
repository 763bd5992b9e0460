import type { ListedParameter } from '../../project/parameter-listing.ts';
import type { Colors } from '../../validate/format/text.ts';

/** A stack's parameters in plan: `Key = value  (where it came from)`, one a line (an empty value as ""); the region named when there are several. */
export function parameterLines(parameters: ListedParameter[], colors: Colors, region?: string): string[] {
  if (parameters.length === 0) return [];
  return [`  Parameters${region ? ` in ${region}` : ''}`, ...parameters.map((p) => `    ${p.key} = ${p.value === '' ? '""' : p.value}  ${colors.dim(`(${p.source})`)}`)];
}
