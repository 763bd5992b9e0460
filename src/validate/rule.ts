import type { Diagnostic, Location, Severity } from '../diagnostics.ts';
import type { Project, ProjectTemplate } from '../project/project.ts';
import type { ResourceFactsIndex } from '../spec/resource-facts.ts';
import type { TemplateModel } from '../template/model.ts';
import type { Path, SourceMap } from '../template/source-map.ts';

export interface RuleInfo {
  /** Stable id: SP0xxx syntax, SP1xxx structure and functions, SP2xxx parameters, SP3xxx resources, SP4xxx limits, SP5xxx project. */
  id: string;
  /** What the rule checks, in a few words. */
  title: string;
  severity: Severity;
  /** The AWS documentation page behind the rule. */
  docs: string;
}

export interface ReportOptions {
  /** Point at the key of the node rather than its value. */
  at?: 'key' | 'value';
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
}

export interface TemplateCheck {
  template: ProjectTemplate;
  model: TemplateModel;
  facts: ResourceFactsIndex;
  /** Whether a Transform rewrites the template at deploy time (its resources may be generated). */
  transformed: boolean;
  /** Whether a macro (a transform other than AWS's own) may rewrite anything in it. */
  macros: boolean;
  /** The day the check is for (YYYY-MM-DD, UTC): lifecycle rules compare AWS's dates with it. */
  today: string;
  /** A plain function (rules take it out of the context), not a method. */
  report: (path: Path, message: string, options?: ReportOptions) => void;
}

export interface ProjectCheck {
  project: Project;
  facts: ResourceFactsIndex;
  /** A plain function (rules take it out of the context), not a method. */
  report: (source: { file: string; map: SourceMap }, path: Path, message: string, options?: ReportOptions) => void;
}

export interface TemplateRule extends RuleInfo {
  scope: 'template';
  check(ctx: TemplateCheck): void;
}

export interface ProjectRule extends RuleInfo {
  scope: 'project';
  check(ctx: ProjectCheck): void;
}

export type Rule = TemplateRule | ProjectRule;

export function finding(rule: RuleInfo, file: string, location: Location, message: string, severity?: Severity): Diagnostic {
  return { file, ...location, severity: severity ?? rule.severity, rule: rule.id, message };
}

const USER_GUIDE = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/';
/** A page of the CloudFormation user guide. */
export const userGuide = (page: string) => `${USER_GUIDE}${page}`;
const TEMPLATE_REFERENCE = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/';
/** A page of the CloudFormation template reference. */
export const templateReference = (page: string) => `${TEMPLATE_REFERENCE}${page}`;
