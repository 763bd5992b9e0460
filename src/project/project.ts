import { readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { StackpilotError } from '../errors.ts';
import { describeTemplate, type TemplateModel } from '../template/model.ts';
import { isTemplateFile, parseTemplate, type Template } from '../template/parse.ts';
import type { Path, SourceMap } from '../template/source-map.ts';
import { discoverPath } from './discovery.ts';
import { isFile, readText } from './files.ts';
import { MANIFEST_FILE, parseManifest, type Manifest } from './manifest.ts';
import { findNestedStacks, type NestedStackLink } from './nested-stacks.ts';
import { parseParameterFile, type ParameterFile } from './parameter-file.ts';
import { checkParameterOverrides, type ParameterOverride } from './parameter-overrides.ts';
import { resolveEnvironment, type ResolvedEnvironment } from './parameters.ts';
import { stackReferences } from './placeholders.ts';
import { readRegionOverrides, type RegionOverrides } from './regions.ts';

export interface ProjectTemplate extends Template {
  absolutePath: string;
  model: TemplateModel;
}

/** A stack stackpilot deploys on its own (nested stacks travel with their parent). */
export interface ProjectStack {
  id: string;
  /** Absolute path of its template. */
  template: string;
  /** Name pattern from the manifest, placeholders not yet expanded. */
  namePattern?: string;
  dependsOn: { id: string; path: Path }[];
  capabilities: string[];
}

export type ProjectKind = 'template' | 'directory' | 'manifest';

export interface Project {
  kind: ProjectKind;
  /** Absolute folder of the project (the template's folder for a single template). */
  root: string;
  name: string;
  manifest?: Manifest;
  /** The manifest file as a source of findings. */
  manifestSource?: { file: string; map: SourceMap };
  templates: Map<string, ProjectTemplate>;
  stacks: ProjectStack[];
  nested: NestedStackLink[];
  /** Parameter values per environment being checked (all of them when none was chosen). */
  environments: ResolvedEnvironment[];
  regionOverrides?: RegionOverrides;
  /** Problems found while loading: manifest, parameter files, missing files. */
  diagnostics: Diagnostic[];
  /** Every file read as part of the project (as shown in findings). */
  files: Set<string>;
  /** Turns an absolute path into the path shown in findings. */
  display(absolutePath: string): string;
  /** See LoadOptions.valuesRequired. */
  valuesRequired: boolean;
}

export interface LoadOptions {
  /** Environment of the manifest to check; all of them when omitted. */
  env?: string;
  /** --parameters: a parameter file for a single template or a folder of templates (a manifest lists its own). */
  parametersFile?: string;
  /** For plan and deploy: a parameter without a Default needs a value even when none was given at all. */
  valuesRequired?: boolean;
  region?: string;
  /** --parameter values, above every other source; each must name a declared parameter. */
  parameters?: ParameterOverride[];
}

const TEMPLATE_EXTENSIONS = /\.(ya?ml|json|template)$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.stackpilot', 'dist', 'cdk.out']);

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** YAML, JSON and .template files below a folder, skipping dependency, build and hidden folders. */
export function listTemplateFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) walk(join(d, entry.name));
      } else if (entry.isFile() && TEMPLATE_EXTENSIONS.test(entry.name) && entry.name !== MANIFEST_FILE) {
        found.push(join(d, entry.name));
      }
    }
  };
  walk(dir);
  return found;
}

/**
 * Reads a project from a path: a single template, a folder of templates (one project), or a
 * folder (or manifest file) with `stackpilot.yaml`; a folder inside a project stands for that
 * project (see discovery.ts). Problems in the files become findings; only a path that cannot be
 * read at all throws.
 */
export function loadProject(inputPath: string, options: LoadOptions = {}): Project {
  const found = discoverPath(inputPath);
  const { stat, path: absoluteInput } = found;
  const manifestPath = stat.isDirectory() ? join(absoluteInput, MANIFEST_FILE) : basename(absoluteInput) === MANIFEST_FILE ? absoluteInput : undefined;
  const root = stat.isDirectory() ? absoluteInput : dirname(absoluteInput);
  // Paths are shown as the person gave them: `../parameters/dev.json` from inside the project.
  const givenRoot = stat.isDirectory() ? inputPath : dirname(inputPath);
  const shownRoot = found.discovered ? toPosix(join(inputPath, relative(resolve(inputPath), root))) : givenRoot;
  const display = (p: string) => (p === absoluteInput && !stat.isDirectory() ? toPosix(inputPath) : toPosix(join(shownRoot, relative(root, p))));

  const project: Project = {
    kind: 'template',
    root,
    name: basename(root),
    templates: new Map(),
    stacks: [],
    nested: [],
    environments: [],
    diagnostics: [],
    files: new Set(),
    display,
    valuesRequired: options.valuesRequired === true,
  };

  const loadTemplate = (path: string): ProjectTemplate => {
    let template = project.templates.get(path);
    if (!template) {
      project.files.add(display(path));
      const parsed = parseTemplate(readText(path, display(path)), display(path));
      template = { ...parsed, absolutePath: path, model: describeTemplate(parsed.body) };
      project.templates.set(path, template);
    }
    return template;
  };

  if (manifestPath && isFile(manifestPath)) {
    project.kind = 'manifest';
    if (options.parametersFile !== undefined) {
      throw new StackpilotError('ParametersFileWithManifest', `--parameters ${options.parametersFile}: a project with stackpilot.yaml takes its parameter files from the manifest`, 'List the file under the environment\'s parameterFiles in stackpilot.yaml, or give single values with --parameter KEY=VALUE.');
    }
    loadManifestProject(project, manifestPath, options, loadTemplate);
  } else if (stat.isDirectory()) {
    project.kind = 'directory';
    for (const file of listTemplateFiles(root)) {
      const text = readText(file, display(file));
      const parsed = parseTemplate(text, display(file));
      if (isTemplateFile(parsed, text)) {
        project.templates.set(file, { ...parsed, absolutePath: file, model: describeTemplate(parsed.body) });
        project.files.add(display(file));
      }
    }
    project.nested = findNestedStacks(project, loadTemplate, { reportMissing: 'warning' });
    const children = new Set(project.nested.flatMap((l) => (l.child ? [l.child] : [])));
    for (const file of project.templates.keys()) {
      if (!children.has(file)) project.stacks.push({ id: toPosix(relative(root, file)).replace(TEMPLATE_EXTENSIONS, ''), template: file, dependsOn: [], capabilities: [] });
    }
  } else {
    loadTemplate(absoluteInput);
    project.stacks.push({ id: basename(absoluteInput).replace(TEMPLATE_EXTENSIONS, ''), template: absoluteInput, dependsOn: [], capabilities: [] });
    project.nested = findNestedStacks(project, loadTemplate, { reportMissing: 'none' });
  }
  if (project.kind !== 'manifest') project.environments.push(resolveWithoutManifest(project, options));
  // A manifest that cannot be read has no stacks to check against: validation says why.
  if (options.parameters && (project.kind !== 'manifest' || project.manifest)) checkParameterOverrides(project, options.parameters);
  return project;
}

/**
 * A template's or a folder's one set of values: --parameters FILE (the template's own values, or
 * for a folder values for whichever stacks declare each key) and --parameter above it.
 */
function resolveWithoutManifest(project: Project, options: LoadOptions): ResolvedEnvironment {
  if (options.parametersFile === undefined) return resolveEnvironment(project, { commandLine: options.parameters });
  const file = readParameterFileAt(project, resolve(options.parametersFile), toPosix(options.parametersFile));
  for (const d of file.diagnostics) project.diagnostics.push(d);
  const files = project.kind === 'template' ? { parameterFiles: new Map([[project.stacks[0].id, [file]]]) } : { sharedParameterFiles: [file] };
  return resolveEnvironment(project, { ...files, commandLine: options.parameters });
}

/** The templates below a folder: candidate files whose content is (or was meant to be) a template. */
export function templatesInFolder(dir: string): string[] {
  return listTemplateFiles(dir).filter((file) => {
    const text = readText(file, file);
    return isTemplateFile(parseTemplate(text, file), text);
  });
}

function readParameterFileAt(project: Project, path: string, shown: string): ParameterFile {
  project.files.add(shown);
  return parseParameterFile(readText(path, shown), shown);
}

function loadManifestProject(project: Project, manifestPath: string, options: LoadOptions, loadTemplate: (path: string) => ProjectTemplate): void {
  const manifestShown = project.display(manifestPath);
  project.files.add(manifestShown);
  const read = parseManifest(readText(manifestPath, manifestShown), manifestShown);
  for (const d of read.diagnostics) project.diagnostics.push(d);
  project.manifestSource = { file: manifestShown, map: read.map };
  const manifest = read.manifest;
  if (!manifest) return;
  project.manifest = manifest;
  project.name = manifest.project;
  const report = (path: Path, message: string, severity: Diagnostic['severity'] = 'error') =>
    project.diagnostics.push({ file: manifestShown, ...read.map.locate(path), severity, rule: 'SP5010', message });

  if (options.env !== undefined && !Object.hasOwn(manifest.environments, options.env)) {
    throw new StackpilotError('UnknownEnvironment', `${manifestShown}: no environment "${options.env}"`, `Choose one of: ${Object.keys(manifest.environments).join(', ')}.`);
  }

  for (const [id, stack] of Object.entries(manifest.stacks)) {
    const templatePath = resolve(project.root, stack.template);
    const dependsOn: ProjectStack['dependsOn'] = (stack.dependsOn ?? []).map((d, i) => ({ id: d, path: ['stacks', id, 'dependsOn', i] }));
    const addReferences = (text: string, path: Path) => {
      for (const ref of stackReferences(text)) if (!dependsOn.some((d) => d.id === ref.stack)) dependsOn.push({ id: ref.stack, path });
    };
    for (const [key, value] of Object.entries(stack.parameters ?? {})) addReferences(String(value), ['stacks', id, 'parameters', key]);
    for (const [envName, env] of Object.entries(manifest.environments)) {
      for (const [key, value] of Object.entries(env.stacks?.[id]?.parameters ?? {})) addReferences(String(value), ['environments', envName, 'stacks', id, 'parameters', key]);
    }
    for (const dep of dependsOn) {
      if (!Object.hasOwn(manifest.stacks, dep.id)) report(dep.path, `Stack ${id} depends on "${dep.id}", which is not a stack of this project`);
      if (dep.id === id) report(dep.path, `Stack ${id} depends on itself`);
    }
    project.stacks.push({ id, template: templatePath, namePattern: stack.name, dependsOn: dependsOn.filter((d) => d.id !== id && Object.hasOwn(manifest.stacks, d.id)), capabilities: stack.capabilities ?? [] });
    if (!isFile(templatePath)) {
      report(['stacks', id, 'template'], `Template ${stack.template} of stack ${id} does not exist`);
      continue;
    }
    loadTemplate(templatePath);
  }
  project.stacks = project.stacks.filter((s) => project.templates.has(s.template));
  project.nested = findNestedStacks(project, loadTemplate, { reportMissing: 'error', searchDirectories: manifest.templates ? [resolve(project.root, manifest.templates)] : [] });

  project.regionOverrides = readRegionOverrides(project, manifest, manifestShown, read.map);
  for (const d of project.regionOverrides.diagnostics) project.diagnostics.push(d);

  // Parameter files are read once, however many environments use them.
  const files = new Map<string, ParameterFile | undefined>();
  const readFileFor = (pattern: string, envName: string, path: Path): ParameterFile | undefined => {
    const relativePath = pattern.replaceAll('${env}', envName).replaceAll('${project}', manifest.project);
    const absolute = resolve(project.root, relativePath);
    if (!files.has(absolute)) {
      if (!isFile(absolute)) {
        report(path, `Parameter file ${relativePath} does not exist`);
        files.set(absolute, undefined);
      } else {
        const file = readParameterFileAt(project, absolute, project.display(absolute));
        for (const d of file.diagnostics) project.diagnostics.push(d);
        files.set(absolute, file);
      }
    }
    return files.get(absolute);
  };

  const envNames = options.env !== undefined ? [options.env] : Object.keys(manifest.environments);
  for (const envName of envNames) {
    const env = manifest.environments[envName];
    const shared = (env.parameterFiles ?? []).map((f, i) => readFileFor(f, envName, ['environments', envName, 'parameterFiles', i])).filter((f): f is ParameterFile => f !== undefined);
    const perStack = new Map<string, ParameterFile[]>();
    for (const [id, stack] of Object.entries(manifest.stacks)) {
      const list = (stack.parameterFiles ?? []).map((f, i) => readFileFor(f, envName, ['stacks', id, 'parameterFiles', i]));
      perStack.set(id, list.filter((f): f is ParameterFile => f !== undefined));
    }
    const region = options.region ?? env.region ?? manifest.region;
    project.environments.push(resolveEnvironment(project, { env: envName, region, sharedParameterFiles: shared, parameterFiles: perStack, commandLine: options.parameters }));
  }
}
