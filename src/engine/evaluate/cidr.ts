import { EvaluationError } from './evaluation-error.ts';

/**
 * `Fn::Cidr`: `count` consecutive subnets of `ipBlock`, each with `cidrBits` host bits,
 * starting at the block's network address. IPv4 and IPv6, exact integer math (BigInt).
 */
export function cidrSubnets(ipBlock: string, count: number, cidrBits: number): string[] {
  const slash = ipBlock.indexOf('/');
  if (slash === -1) throw new EvaluationError(`Fn::Cidr: ${ipBlock} is not a CIDR block`);
  const address = ipBlock.slice(0, slash);
  const prefix = Number(ipBlock.slice(slash + 1));
  const v6 = address.includes(':');
  const width = v6 ? 128 : 32;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) throw new EvaluationError(`Fn::Cidr: ${ipBlock} is not a CIDR block`);
  const newPrefix = width - cidrBits;
  if (!Number.isInteger(cidrBits) || cidrBits < 1 || newPrefix < prefix) {
    throw new EvaluationError(`Fn::Cidr: cidrBits ${cidrBits} does not fit in ${ipBlock}`);
  }
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new EvaluationError('Fn::Cidr: count must be between 1 and 256');
  if (BigInt(count) > 1n << BigInt(newPrefix - prefix)) {
    throw new EvaluationError(`Fn::Cidr: ${ipBlock} cannot hold ${count} subnets of /${newPrefix}`);
  }
  const base = v6 ? parseIpv6(address) : parseIpv4(address);
  const blockMask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - prefix)) - 1n);
  const network = base & blockMask;
  const step = 1n << BigInt(cidrBits);
  const subnets: string[] = [];
  for (let i = 0n; i < BigInt(count); i++) {
    const start = network + i * step;
    subnets.push(`${v6 ? formatIpv6(start) : formatIpv4(start)}/${newPrefix}`);
  }
  return subnets;
}

function parseIpv4(address: string): bigint {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new EvaluationError(`Fn::Cidr: ${address} is not an IPv4 address`);
  return parts.reduce((n, p) => (n << 8n) + BigInt(p), 0n);
}

function formatIpv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join('.');
}

function parseIpv6(address: string): bigint {
  const halves = address.split('::');
  if (halves.length > 2) throw new EvaluationError(`Fn::Cidr: ${address} is not an IPv6 address`);
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) throw new EvaluationError(`Fn::Cidr: ${address} is not an IPv6 address`);
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) throw new EvaluationError(`Fn::Cidr: ${address} is not an IPv6 address`);
  return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of zero groups (2+) as `::`. */
function formatIpv6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
