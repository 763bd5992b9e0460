import * as sdk from '@aws-sdk/client-cloudformation';
import { EngineError, type CloudFormationApi } from '../../engine/api.ts';
import { decodeQueryParameters, queryErrorReply } from '../query-protocol.ts';
import { newRequestId, xmlReply, type LocalReply, type LocalRequest, type ServiceEmulator } from '../wire.ts';
import { decodeQueryInput } from './query-decoder.ts';
import { operationShapes, type OperationShapes } from './sdk-shapes.ts';
import { CLOUDFORMATION_NAMESPACE, encodeQueryResponse } from './xml-encoder.ts';

/** The CloudFormation actions the local engine serves: each is a `CloudFormationApi` method. */
export const CLOUDFORMATION_ACTIONS = [
  'CreateStack',
  'UpdateStack',
  'DeleteStack',
  'DescribeStacks',
  'ListStacks',
  'DescribeStackEvents',
  'DescribeStackResource',
  'DescribeStackResources',
  'ListStackResources',
  'GetTemplate',
  'GetTemplateSummary',
  'ValidateTemplate',
  'CreateChangeSet',
  'DescribeChangeSet',
  'ExecuteChangeSet',
  'DeleteChangeSet',
  'ListChangeSets',
  'ListExports',
  'ListImports',
  'ContinueUpdateRollback',
  'RollbackStack',
  'CancelUpdateStack',
  'UpdateTerminationProtection',
  'GetStackPolicy',
  'SetStackPolicy',
  'DetectStackDrift',
  'DescribeStackDriftDetectionStatus',
  'DescribeStackResourceDrifts',
  'DetectStackResourceDrift',
] as const;

type Action = (typeof CLOUDFORMATION_ACTIONS)[number];
type Method = Uncapitalize<Action>;

const SERVED = new Set<string>(CLOUDFORMATION_ACTIONS);
const shapesByAction = new Map<string, OperationShapes>();

/** An action's input and output shapes, from the SDK's schema of that operation. */
export function cloudFormationShapes(action: Action): OperationShapes {
  let shapes = shapesByAction.get(action);
  if (!shapes) {
    shapes = operationShapes((sdk as unknown as Record<string, unknown>)[`${action}$`]);
    shapesByAction.set(action, shapes);
  }
  return shapes;
}

/**
 * CloudFormation's awsQuery protocol over the local engine: form-encoded requests decoded into
 * the SDK's input shapes, the engine's replies encoded as AWS's XML, `EngineError`s as
 * `ErrorResponse` documents with their code and HTTP status.
 */
export class CloudFormationEmulator implements ServiceEmulator {
  constructor(private readonly engineFor: (region: string) => Promise<CloudFormationApi>) {}

  async handle(request: LocalRequest): Promise<LocalReply> {
    const parameters = decodeQueryParameters(request);
    const action = parameters.Action;
    if (!action || !SERVED.has(action)) {
      return queryErrorReply(CLOUDFORMATION_NAMESPACE, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this web service.`, 400);
    }
    const shapes = cloudFormationShapes(action as Action);
    try {
      const engine = await this.engineFor(request.region);
      const method = (action[0].toLowerCase() + action.slice(1)) as Method;
      const input = decodeQueryInput(shapes.input, parameters);
      const output = await (engine[method] as (input: unknown) => Promise<unknown>).call(engine, input);
      const requestId = newRequestId();
      return xmlReply(200, encodeQueryResponse(action, shapes.output, output, requestId), { 'x-amzn-requestid': requestId });
    } catch (error) {
      if (error instanceof EngineError) return queryErrorReply(CLOUDFORMATION_NAMESPACE, error.code, error.message, error.status, error.type);
      throw error;
    }
  }
}
