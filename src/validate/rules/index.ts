import type { Rule } from '../rule.ts';
import { conditionNames } from './functions/condition-names.ts';
import { dynamicReferences } from './functions/dynamic-references.ts';
import { dependsOn } from './functions/depends-on.ts';
import { findInMapKeys } from './functions/findinmap-keys.ts';
import { functionShape } from './functions/function-shape.ts';
import { getAttTargetRule } from './functions/getatt-target.ts';
import { refTarget } from './functions/ref-target.ts';
import { resourceCycles } from './functions/resource-cycles.ts';
import { subVariablesRule } from './functions/sub-variables.ts';
import { templateLimits } from './limits/template-limits.ts';
import { noEchoDefault } from './parameters/noecho-default.ts';
import { parameterDeclarations } from './parameters/parameter-declarations.ts';
import { parameterValues } from './parameters/parameter-values.ts';
import { unusedParameter } from './parameters/unused-parameter.ts';
import { crossRegionImports } from './project/cross-region-imports.ts';
import { duplicateExports } from './project/duplicate-exports.ts';
import { importsMatchExports } from './project/imports-exports.ts';
import { nestedOutputs } from './project/nested-outputs.ts';
import { nestedParameters } from './project/nested-parameters.ts';
import { regionAvailability } from './project/region-availability.ts';
import { stackCycles } from './project/stack-cycles.ts';
import { allowedValuesRule } from './resources/allowed-values.ts';
import { deprecatedProperty } from './resources/deprecated-property.ts';
import { kmsKeyReference } from './resources/kms-key-reference.ts';
import { lambdaRuntime } from './resources/lambda-runtime.ts';
import { retiredService } from './resources/retired-service.ts';
import { iamWildcard } from './resources/iam-wildcard.ts';
import { propertyValueTypes } from './resources/property-value-types.ts';
import { requiredProperties } from './resources/required-properties.ts';
import { resourceProperties } from './resources/resource-properties.ts';
import { resourceType } from './resources/resource-type.ts';
import { s3PublicAccess } from './resources/s3-public-access.ts';
import { statefulRetention } from './resources/stateful-retention.ts';
import { rainDirectivesRule } from './structure/rain-directives.ts';
import { templateSections } from './structure/template-sections.ts';
import { transformNoted } from './structure/transform-noted.ts';

/** Every rule stackpilot runs, in id order. */
export const RULES: Rule[] = [
  templateSections,
  transformNoted,
  rainDirectivesRule,
  functionShape,
  refTarget,
  getAttTargetRule,
  subVariablesRule,
  findInMapKeys,
  conditionNames,
  dependsOn,
  resourceCycles,
  dynamicReferences,
  parameterDeclarations,
  unusedParameter,
  noEchoDefault,
  parameterValues,
  resourceType,
  resourceProperties,
  requiredProperties,
  propertyValueTypes,
  allowedValuesRule,
  kmsKeyReference,
  lambdaRuntime,
  retiredService,
  deprecatedProperty,
  statefulRetention,
  iamWildcard,
  s3PublicAccess,
  templateLimits,
  nestedParameters,
  nestedOutputs,
  importsMatchExports,
  duplicateExports,
  stackCycles,
  crossRegionImports,
  regionAvailability,
];
