import { exportsOf, importsOf, namesMayMatch, showName, stackInstances } from '../../../project/exports.ts';
import { type ProjectRule, userGuide } from '../../rule.ts';

/**
 * Every `Fn::ImportValue` finds an export of the project. Where the manifest declares the
 * project's stacks that is an error; in a bare folder the export may live elsewhere.
 */
export const importsMatchExports: ProjectRule = {
  scope: 'project',
  id: 'SP5003',
  title: 'ImportValue with no matching export',
  severity: 'error',
  docs: userGuide('using-cfn-stack-exports.html'),
  check({ project, report }) {
    if (project.kind === 'template') return;
    for (const environment of project.environments) {
      const instances = stackInstances(project, environment);
      const exports = instances.flatMap(exportsOf);
      for (const use of instances.flatMap(importsOf)) {
        if (use.name.every((p) => p === null)) continue; // nothing known about the name
        if (exports.some((e) => namesMayMatch(e.name, use.name))) continue;
        const where = environment.env ? ` in environment ${environment.env}` : '';
        const severity = project.kind === 'manifest' ? 'error' : 'warning';
        const outside = project.kind === 'manifest' ? '' : ' (it may be exported by a stack outside this folder)';
        report(use.instance.template, use.path, `No stack of the project exports ${showName(use.name)}${where}${outside}`, { severity });
      }
    }
  },
};
