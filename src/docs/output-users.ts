import { forEachIntrinsic, getAttTarget, isObject, subVariables } from '../template/intrinsics.ts';
import type { StackPage } from './stack-pages.ts';

/** Who reads a nested stack's output through its parent (`!GetAtt Child.Outputs.Name`): a sibling nested stack, or a resource or output of the parent. */
export interface OutputUser {
  /** The sibling's page, when a nested stack of the parent reads it. */
  page?: StackPage;
  section: 'Resources' | 'Outputs';
  logicalId: string;
}

/** The users of each output of a nested stack, by output name, in the parent's order. */
export function nestedOutputUsers(page: StackPage): Map<string, OutputUser[]> {
  const users = new Map<string, OutputUser[]>();
  const body = page.parent?.template.body;
  if (!page.parent || !page.link || !body) return users;
  const prefix = `${page.link.logicalId}.Outputs.`;
  for (const section of ['Resources', 'Outputs'] as const) {
    forEachIntrinsic(body[section], [section], ({ fn, argument, path }) => {
      const names: string[] = [];
      if (fn === 'Fn::GetAtt') {
        const target = getAttTarget(argument);
        if (target && `${target[0]}.${target[1] ?? ''}`.startsWith(prefix)) names.push(`${target[0]}.${target[1]}`);
      } else if (fn === 'Fn::Sub') {
        const text = typeof argument === 'string' ? argument : Array.isArray(argument) && typeof argument[0] === 'string' ? argument[0] : '';
        const local = Array.isArray(argument) && isObject(argument[1]) ? argument[1] : {};
        names.push(...subVariables(text).filter((v) => v.startsWith(prefix) && !Object.hasOwn(local, v)));
      }
      for (const name of names) {
        const output = name.slice(prefix.length);
        const logicalId = String(path[1]);
        const list = users.get(output) ?? [];
        if (!list.some((u) => u.section === section && u.logicalId === logicalId)) {
          list.push({ page: section === 'Resources' ? page.parent!.children.find((c) => c.link?.logicalId === logicalId) : undefined, section, logicalId });
        }
        users.set(output, list);
      }
    });
  }
  return users;
}
