import { childElement, childElements, childText, type XmlElement } from '../xml.ts';
import { malformedXml } from './s3-protocol.ts';

/** The elements that make a rule do something; S3 refuses a rule with none of them. */
const ACTIONS = ['Expiration', 'Transition', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransition', 'AbortIncompleteMultipartUpload'];

/** Which children an action needs at least one of, as S3's schema says: an empty action is malformed. */
const ACTION_NEEDS = new Map<string, string[]>([
  ['Expiration', ['Days', 'Date', 'ExpiredObjectDeleteMarker']],
  ['Transition', ['Days', 'Date']],
  ['NoncurrentVersionExpiration', ['NoncurrentDays']],
  ['NoncurrentVersionTransition', ['NoncurrentDays']],
  ['AbortIncompleteMultipartUpload', ['DaysAfterInitiation']],
]);

/**
 * Refuses a lifecycle configuration real S3 refuses as MalformedXML: no rule, a rule without a valid
 * Status, a rule with no action, or an action without its days or date (so a template that
 * deploys locally does not fail on AWS for it).
 */
export function checkLifecycleConfiguration(configuration: XmlElement): void {
  const rules = childElements(configuration, 'Rule');
  if (rules.length === 0) throw malformedXml();
  for (const rule of rules) {
    const status = childText(rule, 'Status');
    if (status !== 'Enabled' && status !== 'Disabled') throw malformedXml();
    const actions = rule.children.filter((child) => ACTIONS.includes(child.name));
    if (actions.length === 0) throw malformedXml();
    for (const action of actions) {
      if (!ACTION_NEEDS.get(action.name)!.some((name) => childElement(action, name) !== undefined)) throw malformedXml();
    }
  }
}
