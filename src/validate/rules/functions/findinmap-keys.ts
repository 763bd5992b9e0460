import { intrinsicCalls, isObject } from '../../../template/intrinsics.ts';
import { type TemplateRule, templateReference } from '../../rule.ts';

/** A `Fn::FindInMap` with literal names looks up a mapping, top-level key and second-level key that exist. */
export const findInMapKeys: TemplateRule = {
  scope: 'template',
  id: 'SP1105',
  title: 'FindInMap key that does not exist',
  severity: 'error',
  docs: templateReference('intrinsic-function-reference-findinmap.html'),
  check({ template, model, report }) {
    const body = template.body!;
    for (const section of ['Resources', 'Outputs', 'Conditions']) {
      for (const { fn, argument, path } of intrinsicCalls(body, section)) {
        if (fn !== 'Fn::FindInMap' || !Array.isArray(argument)) continue;
        const [mapName, topKey, secondKey] = argument as unknown[];
        const hasDefault = argument.length === 4;
        const at = [...path, 'Fn::FindInMap'];
        if (typeof mapName !== 'string') continue;
        const mapping = model.mappings[mapName];
        if (!isObject(mapping)) {
          report([...at, 0], `No mapping named ${mapName} in Mappings`);
          continue;
        }
        if (typeof topKey !== 'string' || hasDefault) continue;
        const level = mapping[topKey];
        if (!isObject(level)) {
          report([...at, 1], `Mapping ${mapName} has no key ${topKey}`);
          continue;
        }
        if (typeof secondKey === 'string' && !Object.hasOwn(level, secondKey)) {
          report([...at, 2], `Mapping ${mapName}.${topKey} has no key ${secondKey}`);
        }
      }
    }
  },
};
