import { exportsOf, importsOf, namesMayMatch, showName, stackInstances, type ExportDeclaration, type ImportUse } from '../../../project/exports.ts';
import { environmentInRegion, environmentRegions } from '../../../project/parameter-listing.ts';
import type { Project } from '../../../project/project.ts';
import { type ProjectRule, userGuide } from '../../rule.ts';

/** A stack with `region:` in the manifest exists in that region only; the others in every region of the environment. */
const deploysIn = (project: Project, stackId: string, region: string) => {
  const pinned = project.manifest && Object.hasOwn(project.manifest.stacks, stackId) ? project.manifest.stacks[stackId].region : undefined;
  return pinned === undefined || pinned === region;
};

/** What to write instead: the manifest reads another region's outputs and passes them as a parameter. */
function crossRegionHint(declaration: ExportDeclaration, region: string): string {
  if (declaration.instance.nested) return `pass the value as a parameter in stackpilot.yaml, from an output of stack ${declaration.instance.stackId} in ${region} (\${regions.${region}.stacks.${declaration.instance.stackId}.outputs.NAME})`;
  return `pass it as a parameter in stackpilot.yaml instead: \${regions.${region}.stacks.${declaration.instance.stackId}.outputs.${declaration.output}}`;
}

/**
 * `Fn::ImportValue` reads exports of its own region only. Where an environment deploys to
 * several regions, an import that in one of them only another region's stacks would export
 * (the exporting stack is limited to a region, or the name carries a region) fails there.
 */
export const crossRegionImports: ProjectRule = {
  scope: 'project',
  id: 'SP5007',
  title: 'ImportValue of another region\'s export',
  severity: 'error',
  docs: userGuide('using-cfn-stack-exports.html'),
  check({ project, report }) {
    if (project.kind !== 'manifest') return;
    for (const environment of project.environments) {
      const regions = environmentRegions(project, environment.env);
      if (regions.length < 2) continue;
      const byRegion = regions.map((region) => {
        const instances = stackInstances(project, environmentInRegion(project, environment, region)).filter((i) => deploysIn(project, i.stackId, region));
        return { region, exports: instances.flatMap(exportsOf), imports: instances.flatMap(importsOf) };
      });
      // One finding per import, naming every region where it would fail.
      const failing = new Map<string, { use: ImportUse; regions: string[]; elsewhere: ExportDeclaration; exportRegion: string }>();
      for (const { region, exports, imports } of byRegion) {
        for (const use of imports) {
          if (use.name.every((p) => p === null) || exports.some((e) => namesMayMatch(e.name, use.name))) continue;
          const other = byRegion.find((r) => r.region !== region && r.exports.some((e) => namesMayMatch(e.name, use.name)));
          if (!other) continue; // exported nowhere: SP5003's finding
          const key = `${use.instance.template.file}\u0000${use.path.join('.')}`;
          const entry = failing.get(key) ?? { use, regions: [], elsewhere: other.exports.find((e) => namesMayMatch(e.name, use.name))!, exportRegion: other.region };
          entry.regions.push(region);
          failing.set(key, entry);
        }
      }
      for (const { use, regions: where, elsewhere, exportRegion } of failing.values()) {
        const env = environment.env ? ` of environment ${environment.env}` : '';
        report(
          use.instance.template,
          use.path,
          `Imports ${showName(use.name)}, which in ${where.join(', ')}${env} only ${exportRegion} exports (${elsewhere.instance.template.file}, output ${elsewhere.output}): Fn::ImportValue reads exports of its own region only; ${crossRegionHint(elsewhere, exportRegion)}`,
        );
      }
    }
  },
};
