import { exportsOf, isKnown, stackInstances, type ExportDeclaration } from '../../../project/exports.ts';
import { type ProjectRule, userGuide } from '../../rule.ts';

/** Export names are unique in a region: two stacks exporting the same name cannot both deploy. */
export const duplicateExports: ProjectRule = {
  scope: 'project',
  id: 'SP5004',
  title: 'Duplicate export name',
  severity: 'error',
  docs: userGuide('using-cfn-stack-exports.html'),
  check({ project, report }) {
    for (const environment of project.environments) {
      const seen = new Map<string, ExportDeclaration>();
      for (const declaration of stackInstances(project, environment).flatMap(exportsOf)) {
        if (!isKnown(declaration.name)) continue;
        const name = declaration.name.join('');
        const first = seen.get(name);
        if (!first) {
          seen.set(name, declaration);
          continue;
        }
        const where = environment.env ? ` in environment ${environment.env}` : '';
        report(declaration.instance.template, declaration.path, `Export name ${name} is also exported by ${first.instance.template.file} (output ${first.output})${where}: export names must be unique per region`);
      }
    }
  },
};
