import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Project, ProjectTemplate } from '../project/project.ts';
import { BODY_LIMIT_BYTES } from '../validate/rules/limits/template-limits.ts';

/**
 * Packaging: every nested template of a stack goes to the artifacts bucket under a key named
 * by its content, and the TemplateURLs that name it are rewritten to that object's https URL.
 * Children are packaged before their parents, so a parent's key changes exactly when anything
 * below it changes, and an unchanged template is never uploaded twice.
 */

export interface Artifact {
  /** Absolute path of the template it was made from. */
  source: string;
  key: string;
  body: string;
  url: string;
}

export interface PackagedStack {
  stackId: string;
  /** The stack's own template, TemplateURLs rewritten. */
  body: string;
  /** Set when the body is over CloudFormation's 51,200-byte limit and must be passed by URL. */
  url?: string;
}

export interface PackagePlan {
  bucket: string;
  stacks: PackagedStack[];
  /** Every object to upload, children before parents, each once. */
  artifacts: Artifact[];
}

/** The artifacts bucket of a project in an account and region (S3 names are global, so all three count). */
export function artifactsBucketName(project: string, accountId: string, region: string): string {
  return `${project}-cfn-${accountId}-${region}`.slice(0, 63).replace(/-+$/, '');
}

export function objectUrl(bucket: string, region: string, key: string): string {
  return `https://${bucket}.s3.${region}.amazonaws.com/${key}`;
}

export function packageProject(project: Project, bucket: string, region: string): PackagePlan {
  const artifacts = new Map<string, Artifact>();
  const packaged = new Map<string, { body: string; key: string }>(); // by template path

  const packageTemplate = (template: ProjectTemplate, trail: string[]): { body: string; key: string } => {
    const done = packaged.get(template.absolutePath);
    if (done) return done;
    const body = structuredClone(template.body ?? {});
    const resources = (body.Resources ?? {}) as Record<string, { Properties?: Record<string, unknown> }>;
    for (const link of project.nested) {
      if (link.parent !== template.absolutePath || !link.child || trail.includes(link.child)) continue;
      const child = project.templates.get(link.child)!;
      const { key } = packageTemplate(child, [...trail, link.child]);
      const properties = resources[link.logicalId]?.Properties;
      if (properties) properties.TemplateURL = objectUrl(bucket, region, key);
    }
    const text = JSON.stringify(body, null, 1);
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const key = `${project.name}/${basename(template.absolutePath).replace(/\.[^.]+$/, '')}-${hash}.json`;
    const result = { body: text, key };
    packaged.set(template.absolutePath, result);
    return result;
  };

  const stacks: PackagedStack[] = [];
  for (const stack of project.stacks) {
    const template = project.templates.get(stack.template)!;
    const { body, key } = packageTemplate(template, [template.absolutePath]);
    const oversized = Buffer.byteLength(body) > BODY_LIMIT_BYTES;
    stacks.push({ stackId: stack.id, body, ...(oversized ? { url: objectUrl(bucket, region, key) } : {}) });
    if (oversized) artifacts.set(key, { source: template.absolutePath, key, body, url: objectUrl(bucket, region, key) });
  }
  // Nested templates, in the order they were packaged (children first).
  const roots = new Set(project.stacks.map((s) => s.template));
  for (const [source, { body, key }] of packaged) {
    if (!roots.has(source) && !artifacts.has(key)) artifacts.set(key, { source, key, body, url: objectUrl(bucket, region, key) });
  }
  return { bucket, stacks, artifacts: [...artifacts.values()] };
}
