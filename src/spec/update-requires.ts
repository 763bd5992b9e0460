import type { Replacement } from './resource-facts.ts';
import { DOCUMENTED_UPDATES } from './update-requires-data.ts';

/**
 * What updating each property of the stateful types requires, as the AWS CloudFormation resource
 * reference states it ("Update requires" on each type's page), and what the engine makes of it.
 * update-requires-data.ts holds the pages' own lines (scripts/build-update-requires.mjs, its source
 * commit recorded in the file); CORRECTIONS adds what a page says elsewhere than in that line.
 * Where this is stricter than the generated resource facts, it wins (see resource-facts.ts).
 */
export type UpdateRequires = 'Replacement' | 'Conditional' | 'SomeInterruptions' | 'NoInterruption' | 'NotSupported';

/**
 * When a Conditional property replaces, where the documentation says: `removed` the property
 * dropped; `element-edited:Key` a list element (matched by its Key) edited, while adding or
 * removing elements updates in place. Without one, the engine's rule for `maybe` applies.
 */
export type ReplacementWhen = 'removed' | `element-edited:${string}`;

export interface UpdateRequiresEntry {
  requires: UpdateRequires;
  when?: ReplacementWhen;
  /** The documentation that says so, where it is not the type's own "Update requires" line. */
  source?: string;
}

const REFERENCE = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide';

/** What the pages say about updates outside their "Update requires" lines. */
const CORRECTIONS: Record<string, Record<string, UpdateRequiresEntry>> = {
  'AWS::DynamoDB::Table': {
    // The table page's line says "No interruption", but a local secondary index "can only be created
    // when its parent table is created", and none of its properties can be updated.
    LocalSecondaryIndexes: { requires: 'Replacement', source: `${REFERENCE}/aws-properties-dynamodb-table-localsecondaryindex.html` },
    // "Some interruptions. Replacement if you edit an existing AttributeDefinition."
    AttributeDefinitions: { requires: 'Conditional', when: 'element-edited:AttributeName', source: `${REFERENCE}/aws-resource-dynamodb-table.html#cfn-dynamodb-table-attributedefinitions` },
  },
  'AWS::OpenSearchService::Domain': {
    // "When EnableVersionUpgrade is set to false, or is not specified, updating EngineVersion results in replacement."
    EngineVersion: { requires: 'Conditional', source: `${REFERENCE}/aws-resource-opensearchservice-domain.html#cfn-opensearchservice-domain-engineversion` },
    // "If you remove this entity altogether, along with its associated properties, it causes a replacement."
    VPCOptions: { requires: 'Conditional', when: 'removed', source: `${REFERENCE}/aws-resource-opensearchservice-domain.html#cfn-opensearchservice-domain-vpcoptions` },
  },
};

export interface DocumentedUpdates {
  source: string;
  types: Record<string, { page: string; properties: Record<string, UpdateRequires> }>;
}

const DOCUMENTED = DOCUMENTED_UPDATES;

/** Where the documented lines come from: `awsdocs/aws-cloudformation-user-guide@<commit>`. */
export const UPDATE_REQUIRES_SOURCE = DOCUMENTED.source;

/** The stateful types the table covers. */
export const UPDATE_REQUIRES_TYPES = Object.keys(DOCUMENTED.types);

/** The documentation page of a covered type. */
export const updateRequiresPage = (type: string) => `${REFERENCE}/${DOCUMENTED.types[type].page}.html`;

/** Each documented property of a type and what updating it requires, the corrections applied. */
export function updateRequiresOf(type: string): Record<string, UpdateRequiresEntry> {
  if (!Object.hasOwn(DOCUMENTED.types, type)) return {};
  const entries: Record<string, UpdateRequiresEntry> = {};
  for (const [name, requires] of Object.entries(DOCUMENTED.types[type].properties)) entries[name] = { requires };
  return { ...entries, ...(Object.hasOwn(CORRECTIONS, type) ? CORRECTIONS[type] : {}) };
}

/** The facts' replacement verdict an entry stands for. */
export function replacementOf(entry: UpdateRequiresEntry): Replacement {
  if (entry.requires === 'Replacement' || entry.requires === 'NotSupported') return 'yes';
  return entry.requires === 'Conditional' ? 'maybe' : 'no';
}
