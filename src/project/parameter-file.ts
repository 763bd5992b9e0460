import type { Diagnostic } from '../diagnostics.ts';
import { isObject } from '../template/intrinsics.ts';
import { parameterValueToString } from '../template/parameter-constraints.ts';
import { problemsToDiagnostics, readDocument } from '../template/parse.ts';
import type { Path, SourceMap } from '../template/source-map.ts';

/** One value from a parameter file, with where it was written. */
export interface ParameterEntry {
  key: string;
  /** The value as CloudFormation receives it; undefined for UsePreviousValue. */
  value: string | undefined;
  /** Path of the key (plain form) or of the array item (CloudFormation form). */
  keyPath: Path;
  valuePath: Path;
}

export interface ParameterFile {
  file: string;
  map: SourceMap;
  entries: ParameterEntry[];
  diagnostics: Diagnostic[];
}

const RULE = 'SP2010';

/**
 * Reads a parameter file in the CloudFormation array form
 * (`[{"ParameterKey": "K", "ParameterValue": "V"}]`), the plain form (`{"K": "V"}`), or the
 * template-configuration form (`{"Parameters": {"K": "V"}}`). Lists become comma-joined.
 */
export function parseParameterFile(text: string, file: string): ParameterFile {
  const parsed = readDocument(text, file, { cloudFormationTags: false });
  const diagnostics = problemsToDiagnostics(file, parsed);
  const entries: ParameterEntry[] = [];
  const result = { file, map: parsed.map, entries, diagnostics };
  if (parsed.value === undefined) return result;
  const problem = (path: Path, message: string) => diagnostics.push({ file, ...parsed.map.locate(path), severity: 'error', rule: RULE, message });

  const add = (key: string, raw: unknown, keyPath: Path, valuePath: Path) => {
    const value = parameterValueToString(raw);
    if (value === undefined) problem(valuePath, `The value of ${key} must be a string, number, boolean or list of them`);
    if (entries.some((e) => e.key === key)) problem(keyPath, `Parameter ${key} is given twice in this file`);
    entries.push({ key, value: value ?? '', keyPath, valuePath });
  };

  const value = parsed.value;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (!isObject(item) || typeof item.ParameterKey !== 'string') {
        problem([i], 'Each item must be an object with "ParameterKey" and "ParameterValue"');
        return;
      }
      if (item.UsePreviousValue === true || item.UsePreviousValue === 'true') {
        entries.push({ key: item.ParameterKey, value: undefined, keyPath: [i, 'ParameterKey'], valuePath: [i] });
        return;
      }
      if (!('ParameterValue' in item)) {
        problem([i], `Parameter ${item.ParameterKey} has no "ParameterValue"`);
        return;
      }
      add(item.ParameterKey, item.ParameterValue, [i, 'ParameterKey'], [i, 'ParameterValue']);
    });
  } else if (isObject(value)) {
    const plain = Object.keys(value).length === 1 && isObject(value.Parameters) ? value.Parameters : value;
    const prefix: Path = plain === value ? [] : ['Parameters'];
    for (const [key, raw] of Object.entries(plain)) add(key, raw, [...prefix, key], [...prefix, key]);
  } else {
    problem([], 'A parameter file must be a list of {"ParameterKey", "ParameterValue"} items or an object of key: value');
  }
  return result;
}
