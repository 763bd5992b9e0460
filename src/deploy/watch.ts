import { DescribeStackEventsCommand, DescribeStacksCommand, type CloudFormationClient, type StackEvent } from '@aws-sdk/client-cloudformation';
import { isTerminalStatus, type DeployEvent, type EventSink } from './events.ts';

export interface WatchResult {
  status: string;
  statusReason?: string;
  /** The first resource that failed (not one cancelled because of it), with its nested path. */
  firstFailure?: { logicalId: string; reason: string; nestedPath: string[] };
}

/** How long to wait between polls of something in progress: `first`, then half as long again each time, up to `max`. */
export interface Polling {
  first: number;
  max: number;
}

/** A pause to call between polls, lengthening as `polling` says. */
export function pauses({ first, max }: Polling): () => Promise<void> {
  let next = first;
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, next));
    next = Math.min(max, next * 1.5);
  };
}

const CANCELLED = /cancelled|canceled/i;

/**
 * Follows a stack operation to its end: reports each new event of the stack and of the nested
 * stacks it creates or updates (each once, oldest first), until the stack reaches a final status.
 * Events from before `since` (earlier operations) are not reported.
 */
export async function watchStack(
  cfn: CloudFormationClient,
  stackId: string,
  context: { stack: string; stackName: string; since: Date; polling: Polling },
  emit: EventSink,
): Promise<WatchResult> {
  const seen = new Set<string>();
  // Stack ARN -> path of nested logical ids from the root.
  const watched = new Map<string, string[]>([[stackId, []]]);
  let firstFailure: WatchResult['firstFailure'];
  const cutoff = context.since.getTime() - 1000;
  const pause = pauses(context.polling);

  const poll = async () => {
    for (const [arn, nestedPath] of [...watched]) {
      const events: StackEvent[] = [];
      let token: string | undefined;
      do {
        const page = await cfn.send(new DescribeStackEventsCommand({ StackName: arn, NextToken: token }));
        const fresh = (page.StackEvents ?? []).filter((e) => !seen.has(e.EventId!) && (e.Timestamp?.getTime() ?? 0) >= cutoff);
        events.push(...fresh);
        // Newest first: once a page holds seen or old events, the rest are older still.
        token = fresh.length === (page.StackEvents ?? []).length ? page.NextToken : undefined;
      } while (token);
      for (const event of events.reverse()) {
        seen.add(event.EventId!);
        const isStackItself = event.PhysicalResourceId === arn || event.LogicalResourceId === event.StackName;
        if (isStackItself && nestedPath.length === 0) continue; // the root's own status is reported by the caller
        if (event.ResourceType === 'AWS::CloudFormation::Stack' && !isStackItself && event.PhysicalResourceId?.startsWith('arn:') && !watched.has(event.PhysicalResourceId)) {
          watched.set(event.PhysicalResourceId, [...nestedPath, event.LogicalResourceId!]);
        }
        if (isStackItself) continue; // a nested stack's own events duplicate its resource in the parent
        const status = event.ResourceStatus ?? '';
        if (!firstFailure && status.endsWith('_FAILED') && event.ResourceStatusReason && !CANCELLED.test(event.ResourceStatusReason)) {
          // A nested stack failing because of its own resource: the deeper event says more.
          if (event.ResourceType !== 'AWS::CloudFormation::Stack') firstFailure = { logicalId: event.LogicalResourceId!, reason: event.ResourceStatusReason, nestedPath };
        }
        const resourceEvent: DeployEvent = {
          code: 'resource',
          stack: context.stack,
          stackName: context.stackName,
          logicalId: event.LogicalResourceId!,
          resourceType: event.ResourceType ?? '',
          status,
          ...(event.ResourceStatusReason ? { reason: event.ResourceStatusReason } : {}),
          ...(event.PhysicalResourceId ? { physicalId: event.PhysicalResourceId } : {}),
          timestamp: event.Timestamp ?? new Date(),
          nestedPath,
        };
        emit(resourceEvent);
      }
    }
  };

  for (;;) {
    await poll();
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0];
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (isTerminalStatus(status)) {
      await poll(); // the last events may have landed with the final status
      return { status, ...(stack?.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}), ...(firstFailure ? { firstFailure } : {}) };
    }
    await pause();
  }
}
