// Types only: the CLI reads these flags before it loads the AWS SDK.
import type { Capability, Tag } from '@aws-sdk/client-cloudformation';
import { StackpilotError } from '../errors.ts';

/**
 * Stack settings given on the command line (--capabilities, --tag, --role-arn,
 * --notification-arn, --termination-protection) for every stack of a plan or deploy: above
 * what the manifest and the templates say (see docs/manifest.md, "Which value wins").
 */
export interface StackSettings {
  /** Instead of the capabilities the manifest lists or the templates call for. */
  capabilities?: Capability[];
  /** Beside the project's and the manifest's tags; a key given again wins. */
  tags?: Tag[];
  /** The service role CloudFormation acts as; once given, AWS keeps using it for the stack's later changes. */
  roleArn?: string;
  /** SNS topics that receive the stack's events (CloudFormation allows 5). */
  notificationArns?: string[];
  /** Turned on (or off) once the stack is deployed; undefined leaves it as it is. */
  terminationProtection?: boolean;
}

export const CAPABILITIES: readonly Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];
const MAX_NOTIFICATION_ARNS = 5;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/;

/** --capabilities CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND (commas or spaces). */
export function parseCapabilities(text: string): Capability[] {
  const given = text.split(/[\s,]+/).filter((c) => c !== '');
  const unknown = given.filter((c) => !(CAPABILITIES as string[]).includes(c));
  if (given.length === 0 || unknown.length > 0) {
    throw new StackpilotError('CapabilitySyntax', `--capabilities ${text}: ${unknown.length > 0 ? `${unknown.join(', ')} is not a capability` : 'no capability given'}`, `Capabilities are ${CAPABILITIES.join(', ')}, separated by commas.`);
  }
  return [...new Set(given as Capability[])];
}

/** --tag Key=Value: CloudFormation's limits (a key of 1 to 128 characters, not starting with aws:; a value up to 256). */
export function parseTag(text: string): Tag {
  const equals = text.indexOf('=');
  const [Key, Value] = equals < 0 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
  if (Value === undefined || Key.length === 0 || Key.length > 128 || Value.length > 256 || /^aws:/i.test(Key)) {
    throw new StackpilotError('TagSyntax', `--tag ${Key.slice(0, 128)}: expected KEY=VALUE, a key of 1 to 128 characters not starting with aws:, a value of up to 256`, 'For example --tag team=payments (repeat --tag for more).');
  }
  return { Key, Value };
}

export function checkRoleArn(text: string): string {
  if (!ROLE_ARN.test(text)) throw new StackpilotError('RoleArnSyntax', `--role-arn ${text.slice(0, 200)}: not an IAM role ARN`, 'Give the role\'s ARN, arn:aws:iam::123456789012:role/NAME.');
  return text;
}

export function checkNotificationArn(text: string, previous: string[]): string[] {
  if (!TOPIC_ARN.test(text)) throw new StackpilotError('NotificationArnSyntax', `--notification-arn ${text.slice(0, 300)}: not an SNS topic ARN`, 'Give the topic\'s ARN, arn:aws:sns:us-east-1:123456789012:NAME.');
  const arns = [...new Set([...previous, text])];
  if (arns.length > MAX_NOTIFICATION_ARNS) throw new StackpilotError('NotificationArnLimit', `--notification-arn: at most ${MAX_NOTIFICATION_ARNS} topics`, 'CloudFormation sends a stack\'s events to up to 5 SNS topics.');
  return arns;
}

/** Tags from several sources, later ones winning by key (CloudFormation refuses a key given twice). */
export function tagsLaterWinning(...sources: Tag[][]): Tag[] {
  const byKey = new Map<string, string>();
  for (const tag of sources.flat()) {
    byKey.delete(tag.Key!);
    byKey.set(tag.Key!, tag.Value!);
  }
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}
