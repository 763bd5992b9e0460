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
 * The id of the newest event of a stack (one page read): taken before an operation starts, it
 * marks where the watcher stops reading, whatever the clocks say.
 */
export async function newestEventId(cfn: CloudFormationClient, stackId: string): Promise<string | undefined> {
  return (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents?.[0]?.EventId;
}

interface Watched {
  /** Nested logical ids from the root. */
  nestedPath: string[];
  /** Events older than this (ms) belong to earlier operations. */
  cutoff: number;
  /** The newest event before the operation began, when known: it and older ones are not read. */
  after?: string;
}

/**
 * Follows a stack operation to its end: reports each new event of the stack and of the nested
 * stacks it creates or updates (each once, oldest first), until the stack reaches a final status.
 * Events from before `since` (earlier operations), or from `after` back, are not reported. Each
 * poll reads the newest page of events and further pages only while they hold new events only:
 * a long history is never read again.
 */
export async function watchStack(
  cfn: CloudFormationClient,
  stackId: string,
  context: { stack: string; stackName: string; since: Date; polling: Polling; after?: string },
  emit: EventSink,
): Promise<WatchResult> {
  const seen = new Set<string>();
  // Stack ARN -> where it sits and where its new events begin.
  const watched = new Map<string, Watched>([[stackId, { nestedPath: [], cutoff: context.since.getTime() - 1000, ...(context.after ? { after: context.after } : {}) }]]);
  let firstFailure: WatchResult['firstFailure'];
  const pause = pauses(context.polling);

  /** The events of a stack not yet reported, newest first: pages are read until one reaches an event already seen or older. */
  const newEventsOf = async (arn: string, { cutoff, after }: Watched): Promise<StackEvent[]> => {
    const events: StackEvent[] = [];
    let token: string | undefined;
    do {
      const page = await cfn.send(new DescribeStackEventsCommand({ StackName: arn, NextToken: token }));
      const all = page.StackEvents ?? [];
      const old = all.findIndex((e) => e.EventId === after || seen.has(e.EventId!) || (e.Timestamp?.getTime() ?? 0) < cutoff);
      events.push(...(old < 0 ? all : all.slice(0, old)));
      token = old < 0 ? page.NextToken : undefined;
    } while (token);
    return events;
  };

  const poll = async () => {
    // The live map, not a copy: a nested stack found in this poll is read in this poll too, so
    // one found on the last poll (a fast operation, or a deep stack) still has its events reported.
    for (const [arn, where] of watched) {
      const { nestedPath } = where;
      const events = await newEventsOf(arn, where);
      for (const event of events.reverse()) {
        seen.add(event.EventId!);
        const isStackItself = event.PhysicalResourceId === arn || event.LogicalResourceId === event.StackName;
        if (isStackItself && nestedPath.length === 0) continue; // the root's own status is reported by the caller
        if (event.ResourceType === 'AWS::CloudFormation::Stack' && !isStackItself && event.PhysicalResourceId?.startsWith('arn:') && !watched.has(event.PhysicalResourceId)) {
          // The nested stack's events of this operation begin about when its parent's event about it (same clock, a second's slack).
          watched.set(event.PhysicalResourceId, { nestedPath: [...nestedPath, event.LogicalResourceId!], cutoff: (event.Timestamp?.getTime() ?? 0) - 1000 });
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
