import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isObject } from '../template/intrinsics.ts';
import { isNestedStackType } from '../spec/resource-facts.ts';
import type { Path } from '../template/source-map.ts';
import type { Project, ProjectTemplate } from './project.ts';

/** A nested stack resource and the project template its TemplateURL names. */
export interface NestedStackLink {
  /** Absolute path of the parent template. */
  parent: string;
  logicalId: string;
  /** The file name the TemplateURL ends with, when it can be read. */
  fileName?: string;
  /** Absolute path of the child template, when it is in the project. */
  child?: string;
  /** Path of the TemplateURL property in the parent. */
  urlPath: Path;
}

/**
 * The object key a TemplateURL names, as far as it is written literally: the path after the
 * host, from the last segment that holds a `${...}` on
 * (`https://${Bucket}.s3.amazonaws.com/nested/network.yaml` -> `nested/network.yaml`).
 */
export function templateUrlKey(url: unknown): string | undefined {
  let text: string | undefined;
  if (typeof url === 'string') text = url;
  else if (isObject(url) && 'Fn::Sub' in url) {
    const sub = url['Fn::Sub'];
    text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  } else if (isObject(url) && 'Fn::Join' in url) {
    const join = url['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      text = join[1].map((part) => (typeof part === 'string' ? part : '${}')).join(join[0]);
    }
  }
  if (text === undefined) return undefined;
  let path = text.split('?')[0];
  const scheme = path.indexOf('://');
  if (scheme !== -1) path = path.slice(path.indexOf('/', scheme + 3) + 1 || path.length);
  const lastPlaceholder = path.lastIndexOf('}');
  if (lastPlaceholder !== -1) path = path.slice(lastPlaceholder + 1);
  path = path.replace(/^\/+/, '');
  return path === '' || path.endsWith('/') ? undefined : path;
}

/** The file name a TemplateURL ends with (`.../network-stack.yaml` -> `network-stack.yaml`). */
export function templateUrlFileName(url: unknown): string | undefined {
  return templateUrlKey(url)?.split('/').pop();
}

export interface NestedSearch {
  /** How to report a TemplateURL that names no file of the project. */
  reportMissing: 'error' | 'warning' | 'none';
  /** Folders searched after the parent's own folder. */
  searchDirectories?: string[];
}

/** Follows every nested stack of the loaded templates, loading the children it finds. */
export function findNestedStacks(project: Project, loadTemplate: (path: string) => ProjectTemplate, search: NestedSearch): NestedStackLink[] {
  const links: NestedStackLink[] = [];
  const queue = [...project.templates.values()];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const template = queue.shift()!;
    if (visited.has(template.absolutePath)) continue;
    visited.add(template.absolutePath);
    for (const resource of template.model.resources.values()) {
      if (!isNestedStackType(resource.type)) continue;
      const urlPath: Path = ['Resources', resource.logicalId, 'Properties', 'TemplateURL'];
      const key = templateUrlKey(resource.properties.TemplateURL);
      const fileName = key?.split('/').pop();
      const link: NestedStackLink = { parent: template.absolutePath, logicalId: resource.logicalId, fileName, urlPath };
      if (key) {
        // The longest tail of the key that exists under the parent's folder, the manifest's
        // template folders or the project root: `nested/net.yaml`, then `net.yaml`.
        const segments = key.split('/');
        const tails = segments.map((_, i) => segments.slice(i).join('/'));
        const folders = [dirname(template.absolutePath), ...(search.searchDirectories ?? []), project.root];
        const found = tails.flatMap((tail) => folders.map((folder) => join(folder, tail))).find((candidate) => existsSync(candidate));
        if (found) {
          link.child = found;
          queue.push(loadTemplate(found));
        }
      }
      if (!link.child && search.reportMissing !== 'none' && resource.properties.TemplateURL !== undefined) {
        const what = fileName ? `names ${fileName}, which is not a template of this project` : 'does not end with a file name stackpilot can read';
        project.diagnostics.push({
          file: template.file,
          ...template.map.locate(urlPath),
          severity: search.reportMissing,
          rule: 'SP5006',
          message: `The TemplateURL of nested stack ${resource.logicalId} ${what}, so its parameters and outputs cannot be checked`,
        });
      }
      links.push(link);
    }
  }
  return links;
}
