import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { isObject } from '../template/intrinsics.ts';
import { parameterValueToString } from '../template/parameter-constraints.ts';
import { problemsToDiagnostics, readDocument } from '../template/parse.ts';
import type { Path, SourceMap } from '../template/source-map.ts';
import type { Manifest } from './manifest.ts';
import type { ValueSource } from './parameters.ts';
import { readText } from './files.ts';
import type { Project } from './project.ts';

export interface RegionOverride {
  key: string;
  value: string;
  source: ValueSource;
}

export interface RegionOverrides {
  byRegion: Map<string, RegionOverride[]>;
  diagnostics: Diagnostic[];
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/**
 * Per-region parameter overrides: inline in the manifest (`regions: {us-west-2: {parameters: {...}}}`)
 * or a JSON/YAML file of `{"us-west-2": {"Key": "value"}}` (lists become comma-joined).
 */
export function readRegionOverrides(project: Project, manifest: Manifest, manifestFile: string, manifestMap: SourceMap): RegionOverrides {
  const result: RegionOverrides = { byRegion: new Map(), diagnostics: [] };
  if (manifest.regions === undefined) return result;
  let file = manifestFile;
  let map = manifestMap;
  let data: unknown = manifest.regions;
  let prefix: Path = ['regions'];
  if (typeof manifest.regions === 'string') {
    const absolute = resolve(project.root, manifest.regions);
    file = project.display(absolute);
    let text: string;
    try {
      text = readText(absolute, file);
      project.files.add(file);
    } catch {
      result.diagnostics.push({ file: manifestFile, ...manifestMap.locate(['regions']), severity: 'error', rule: 'SP5010', message: `Region overrides file ${manifest.regions} does not exist` });
      return result;
    }
    const parsed = readDocument(text, file, { cloudFormationTags: false });
    for (const d of problemsToDiagnostics(file, parsed)) result.diagnostics.push(d);
    map = parsed.map;
    data = parsed.value;
    prefix = [];
  }
  if (!isObject(data)) return result;
  for (const [region, raw] of Object.entries(data)) {
    if (!REGION.test(region)) {
      result.diagnostics.push({ file, ...map.locate([...prefix, region], 'key'), severity: 'error', rule: 'SP5010', message: `"${region}" is not an AWS region name` });
      continue;
    }
    const inline = prefix.length > 0;
    const values = inline ? (isObject(raw) && isObject(raw.parameters) ? raw.parameters : {}) : isObject(raw) ? raw : {};
    const base: Path = inline ? [...prefix, region, 'parameters'] : [region];
    const list: RegionOverride[] = [];
    for (const [key, v] of Object.entries(values)) {
      const value = parameterValueToString(v);
      const path = [...base, key];
      if (value === undefined) {
        result.diagnostics.push({ file, ...map.locate(path), severity: 'error', rule: 'SP2010', message: `The value of ${key} for ${region} must be a string, number, boolean or list of them` });
        continue;
      }
      list.push({ key, value, source: { file, map, keyPath: path, valuePath: path } });
    }
    result.byRegion.set(region, list);
  }
  return result;
}
