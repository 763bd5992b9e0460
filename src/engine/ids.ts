/** Identifiers drawn from the engine's random source, so a seeded source gives reproducible names. */
export type Random = () => number;

/** A seeded random source (mulberry32): reproducible names and fault draws for tests and benchmarks. */
export function seededRandom(seed: number): Random {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export function randomFrom(alphabet: string, length: number, random: Random): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

export const randomUpper = (length: number, random: Random) => randomFrom(UPPER_ALPHANUMERIC, length, random);
export const randomLower = (length: number, random: Random) => randomFrom(LOWER_ALPHANUMERIC, length, random);
export const randomHex = (length: number, random: Random) => randomFrom(HEX, length, random);

/** A version-4 shaped UUID. */
export function randomUuid(random: Random): string {
  const hex = randomHex(32, random);
  const variant = HEX[8 + Math.floor(random() * 4)];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface Location {
  region: string;
  accountId: string;
}

export const stackArn = (at: Location, stackName: string, random: Random) =>
  `arn:aws:cloudformation:${at.region}:${at.accountId}:stack/${stackName}/${randomUuid(random)}`;

export const changeSetArn = (at: Location, name: string, random: Random) =>
  `arn:aws:cloudformation:${at.region}:${at.accountId}:changeSet/${name}/${randomUuid(random)}`;

/** The stack name inside a stack ARN. */
export function stackNameOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:cloudformation:[^:]*:[^:]*:stack\/([^/]+)\//.exec(arn)?.[1];
}

/**
 * A name like CloudFormation generates: `stackName-LogicalId-RANDOM12`, with the stack name and
 * logical id shortened when the whole would pass `maxLength`.
 */
export function generatedName(stackName: string, logicalId: string, random: Random, maxLength = 255, suffixLength = 12): string {
  const suffix = randomUpper(suffixLength, random);
  const room = maxLength - suffixLength - 2;
  let stack = stackName;
  let logical = logicalId;
  if (stack.length + logical.length > room) {
    const logicalRoom = Math.max(Math.min(logical.length, Math.floor(room / 2)), room - stack.length);
    logical = logical.slice(0, logicalRoom);
    stack = stack.slice(0, Math.max(room - logical.length, 0));
  }
  return `${stack}-${logical}-${suffix}`;
}
