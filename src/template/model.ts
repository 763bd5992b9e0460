import { dictionary } from '../emulator/state-files.ts';
import { isObject } from './intrinsics.ts';

/** A template's sections as typed declarations, read tolerantly: bad shapes are the rules' business. */
export interface ParameterDeclaration {
  name: string;
  type: string;
  default?: unknown;
  noEcho: boolean;
  allowedValues?: unknown[];
  allowedPattern?: string;
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
  description?: string;
  constraintDescription?: string;
}

export interface ResourceDeclaration {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  condition?: string;
  dependsOn: string[];
  deletionPolicy?: unknown;
  updateReplacePolicy?: unknown;
  metadata?: unknown;
}

export interface OutputDeclaration {
  name: string;
  value: unknown;
  exportName?: unknown;
  condition?: string;
  description?: string;
}

export interface TemplateModel {
  description?: string;
  parameters: Map<string, ParameterDeclaration>;
  resources: Map<string, ResourceDeclaration>;
  conditions: Map<string, unknown>;
  mappings: Record<string, unknown>;
  outputs: Map<string, OutputDeclaration>;
  transforms: string[];
}

const asNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
};

/** A section of the body, or an empty one; without a prototype either way, as the readers make mappings. */
const section = (body: Record<string, unknown>, name: string): Record<string, unknown> => (isObject(body[name]) ? body[name] : dictionary());

export function describeTemplate(body: Record<string, unknown> | undefined): TemplateModel {
  const model: TemplateModel = {
    parameters: new Map(),
    resources: new Map(),
    conditions: new Map(),
    mappings: dictionary(),
    outputs: new Map(),
    transforms: [],
  };
  if (!body) return model;
  if (typeof body.Description === 'string') model.description = body.Description;

  for (const [name, raw] of Object.entries(section(body, 'Parameters'))) {
    if (!isObject(raw)) continue;
    model.parameters.set(name, {
      name,
      type: typeof raw.Type === 'string' ? raw.Type : 'String',
      default: raw.Default,
      noEcho: raw.NoEcho === true || raw.NoEcho === 'true',
      allowedValues: Array.isArray(raw.AllowedValues) ? raw.AllowedValues : undefined,
      allowedPattern: typeof raw.AllowedPattern === 'string' ? raw.AllowedPattern : undefined,
      minLength: asNumber(raw.MinLength),
      maxLength: asNumber(raw.MaxLength),
      minValue: asNumber(raw.MinValue),
      maxValue: asNumber(raw.MaxValue),
      description: typeof raw.Description === 'string' ? raw.Description : undefined,
      constraintDescription: typeof raw.ConstraintDescription === 'string' ? raw.ConstraintDescription : undefined,
    });
  }

  for (const [logicalId, raw] of Object.entries(section(body, 'Resources'))) {
    if (!isObject(raw)) continue;
    const dependsOn = typeof raw.DependsOn === 'string' ? [raw.DependsOn] : Array.isArray(raw.DependsOn) ? raw.DependsOn.filter((d): d is string => typeof d === 'string') : [];
    model.resources.set(logicalId, {
      logicalId,
      type: typeof raw.Type === 'string' ? raw.Type : '',
      properties: isObject(raw.Properties) ? raw.Properties : {},
      condition: typeof raw.Condition === 'string' ? raw.Condition : undefined,
      dependsOn,
      deletionPolicy: raw.DeletionPolicy,
      updateReplacePolicy: raw.UpdateReplacePolicy,
      metadata: raw.Metadata,
    });
  }

  for (const [name, value] of Object.entries(section(body, 'Conditions'))) model.conditions.set(name, value);
  model.mappings = section(body, 'Mappings');

  for (const [name, raw] of Object.entries(section(body, 'Outputs'))) {
    if (!isObject(raw)) continue;
    model.outputs.set(name, {
      name,
      value: raw.Value,
      exportName: isObject(raw.Export) ? raw.Export.Name : undefined,
      condition: typeof raw.Condition === 'string' ? raw.Condition : undefined,
      description: typeof raw.Description === 'string' ? raw.Description : undefined,
    });
  }

  const transform = body.Transform;
  const names = Array.isArray(transform) ? transform : transform === undefined ? [] : [transform];
  for (const t of names) {
    if (typeof t === 'string') model.transforms.push(t);
    else if (isObject(t) && typeof t.Name === 'string') model.transforms.push(t.Name);
  }
  return model;
}
