import { isObject } from '../../../template/intrinsics.ts';
import { awsShapeProblems, constraintProblems, parameterKind, parameterValueToString } from '../../../template/parameter-constraints.ts';
import { compileUserPattern } from '../../../template/user-pattern.ts';
import { type TemplateRule, userGuide } from '../../rule.ts';

/**
 * A parameter's Type is one CloudFormation knows, and its Default satisfies its own constraints;
 * a Default that misses its AWS-specific type's shape is a warning (see awsShapeProblems).
 */
export const parameterDeclarations: TemplateRule = {
  scope: 'template',
  id: 'SP2001',
  title: 'Parameter type and default',
  severity: 'error',
  docs: userGuide('parameters-section-structure.html'),
  check({ template, model, report }) {
    const parameters = template.body!.Parameters;
    if (!isObject(parameters)) return;
    for (const decl of model.parameters.values()) {
      const raw = parameters[decl.name] as Record<string, unknown>;
      if (!('Type' in raw)) continue; // reported by SP1001
      if (typeof raw.Type !== 'string' || !parameterKind(raw.Type)) {
        report(['Parameters', decl.name, 'Type'], `Parameter ${decl.name} has an unknown Type ${JSON.stringify(raw.Type)}`);
        continue;
      }
      const at = ['Parameters', decl.name, 'AllowedPattern'];
      if (raw.AllowedPattern !== null && typeof raw.AllowedPattern === 'object') report(at, `The AllowedPattern of ${decl.name} must be a string`);
      const pattern = decl.allowedPattern === undefined ? undefined : compileUserPattern(decl.allowedPattern);
      if (pattern?.ok === false && pattern.problem === 'invalid') report(at, `The AllowedPattern of ${decl.name} is not a valid regular expression: ${pattern.reason}`);
      if (pattern?.ok === false && pattern.problem === 'unsupported') {
        const why = 'stackpilot runs patterns in linear time (RE2) and cannot evaluate it, so values are not checked against it';
        report(at, `The AllowedPattern of ${decl.name} uses ${pattern.reason}, which CloudFormation (Java) accepts but ${why}`, { severity: 'warning' });
      }
      if (decl.default === undefined) continue;
      // CloudFormation rejects a list Default ("Every Default member must be a string"), even for list types.
      const value = Array.isArray(decl.default) ? undefined : parameterValueToString(decl.default);
      if (value === undefined) {
        const list = Array.isArray(decl.default) ? ', not a list: write the items separated by commas' : '';
        report(['Parameters', decl.name, 'Default'], `The Default of ${decl.name} must be a string or a number${list}`);
        continue;
      }
      for (const problem of constraintProblems(decl, value, false)) {
        report(['Parameters', decl.name, 'Default'], `The Default of ${decl.name} breaks its own constraints: ${problem}`);
      }
      // A placeholder that every deploy overrides is fine on AWS: SP2010 reports the environments that deploy it.
      for (const problem of awsShapeProblems(decl, value, false)) {
        report(['Parameters', decl.name, 'Default'], `The Default of ${decl.name} would fail wherever a stack is deployed with it: ${problem} (AWS checks it only when a stack is created or updated with it, so a placeholder every deploy overrides is fine)`, { severity: 'warning' });
      }
    }
  },
};
