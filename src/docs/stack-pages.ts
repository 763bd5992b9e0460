import type { NestedStackLink } from '../project/nested-stacks.ts';
import type { Project, ProjectStack, ProjectTemplate } from '../project/project.ts';

/** One page of the reference: a project stack, or a nested stack inside one (named by its path). */
export interface StackPage {
  /** The project stack it belongs to. */
  stackId: string;
  /** Logical ids from the project stack down to this nested stack; empty for the project stack. */
  nestedPath: string[];
  template: ProjectTemplate;
  /** Page file, relative to the output folder (POSIX separators). */
  file: string;
  /** Shown name: `master`, `master/NetworkStack`. */
  title: string;
  parent?: StackPage;
  /** The parent's resource that creates this nested stack. */
  link?: NestedStackLink;
  children: StackPage[];
}

/** Nesting deeper than this is a cycle (validation reports it, SP5005); the pages stop there. */
const MAX_DEPTH = 10;

/** Characters kept in a page's file name; others become `_` so a stack id never leaves the folder. */
const fileSegment = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');

/** The pages of the project, parents before their nested stacks, in manifest and template order. */
export function stackPages(project: Project): StackPage[] {
  const pages: StackPage[] = [];
  const visit = (page: StackPage, depth: number) => {
    pages.push(page);
    if (depth >= MAX_DEPTH) return;
    for (const link of project.nested) {
      const child = link.child && link.parent === page.template.absolutePath ? project.templates.get(link.child) : undefined;
      if (!child) continue;
      const nestedPath = [...page.nestedPath, link.logicalId];
      const childPage: StackPage = {
        stackId: page.stackId,
        nestedPath,
        template: child,
        file: `${page.file.slice(0, -'.md'.length)}/${fileSegment(link.logicalId)}.md`,
        title: `${page.stackId}/${nestedPath.join('/')}`,
        parent: page,
        link,
        children: [],
      };
      page.children.push(childPage);
      visit(childPage, depth + 1);
    }
  };
  for (const stack of project.stacks) {
    const template = project.templates.get(stack.template);
    if (template) visit(topPage(stack, template), 0);
  }
  return pages;
}

function topPage(stack: ProjectStack, template: ProjectTemplate): StackPage {
  // A folder project names stacks by their path (`sub/api`): each segment stays a folder.
  const file = `stacks/${stack.id.split('/').map(fileSegment).join('/')}.md`;
  return { stackId: stack.id, nestedPath: [], template, file, title: stack.id, children: [] };
}
