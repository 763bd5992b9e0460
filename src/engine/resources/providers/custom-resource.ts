import { generatedName } from '../../ids.ts';
import type { ResourceProvider } from '../provider.ts';

/**
 * Custom resources (`Custom::*`, `AWS::CloudFormation::CustomResource`). There is no Lambda or
 * SNS runtime locally, so the engine answers for the function, deterministically: every request
 * succeeds, the physical id is `stack-Logical-RANDOM` (kept on in-place updates), and the response
 * Data echoes the resource's own properties (ServiceToken aside), so `!GetAtt Custom.Name` returns
 * the `Name` property. `Fn::GetAtt` of anything else fails the dependent resource with
 * CloudFormation's "Vendor response doesn't contain ... key" message.
 */
export const customResourceProvider: ResourceProvider = {
  async create(request) {
    return { physicalId: generatedName(request.stackName, request.logicalId, request.random), attributes: echoedData(request.properties) };
  },
  async update(request) {
    return echoedData(request.properties);
  },
  async delete() {},
};

function echoedData(properties: Record<string, unknown>): Record<string, unknown> {
  const { ServiceToken: _token, ...data } = properties;
  return data;
}
