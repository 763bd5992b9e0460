import { isObject } from '../template/intrinsics.ts';
import { EngineError } from './api.ts';

/**
 * The template structure CloudFormation checks before anything else, refused with its words:
 * Resources an object, every resource a Type and only the attributes a resource may have, every
 * output a Value that is not null.
 */

const formatError = (message: string) => new EngineError('ValidationError', `Template format error: ${message}`);

/** The attributes a resource may carry (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html), plus Description and Version. */
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'Metadata', 'CreationPolicy', 'DeletionPolicy', 'UpdatePolicy', 'UpdateReplacePolicy', 'Description', 'Version']);

export function checkTemplateShape(body: Record<string, unknown>): void {
  const { Resources: resources, Outputs: outputs } = body;
  if (resources !== undefined && !isObject(resources)) throw formatError('Any Resources member must be an object.');
  if (isObject(resources)) {
    for (const [logicalId, resource] of Object.entries(resources)) {
      // Fn::ForEach and other transform-expanded keys are left to the transform.
      if (!isObject(resource) || logicalId.startsWith('Fn::')) continue;
      if (resource.Type === undefined) throw formatError(`[/Resources/${logicalId}] Every Resources object must contain a Type member.`);
      // A transform (SAM's Connectors...) may take attributes of its own.
      const unknown = body.Transform === undefined ? Object.keys(resource).find((key) => !RESOURCE_KEYS.has(key)) : undefined;
      if (unknown !== undefined) throw new EngineError('ValidationError', `Invalid template resource property '${unknown}'`);
    }
  }
  if (isObject(outputs)) {
    for (const [key, output] of Object.entries(outputs)) {
      if (!isObject(output) || !('Value' in output)) throw formatError('Every Outputs member must contain a Value object');
      if (output.Value === null) throw new EngineError('ValidationError', `[/Outputs/${key}/Value] 'null' values are not allowed in templates`);
    }
  }
}
