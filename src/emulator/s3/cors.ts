import { childElements, childText, parseXml } from '../xml.ts';
import { S3Error } from './s3-protocol.ts';

/** One `<CORSRule>` of a bucket's CORS configuration. */
interface CorsRule {
  origins: string[];
  methods: string[];
  headers: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: string;
}

/** A browser request as CORS sees it: who asks, with which method and (preflight) which headers. */
export interface CorsQuestion {
  origin: string;
  method: string;
  /** Lower-case names from `Access-Control-Request-Headers`: none for the request itself. */
  headers: string[];
}

/** The rules of a bucket's CORS configuration document, as PUT; none without one. */
export function corsRules(document: string | undefined): CorsRule[] {
  if (document === undefined) return [];
  return childElements(parseXml(document), 'CORSRule').map((rule) => {
    const texts = (name: string) => childElements(rule, name).map((element) => element.text.trim());
    return { origins: texts('AllowedOrigin'), methods: texts('AllowedMethod'), headers: texts('AllowedHeader'), exposeHeaders: texts('ExposeHeader'), maxAgeSeconds: childText(rule, 'MaxAgeSeconds') };
  });
}

/** The first rule that allows the origin, the method and every header asked for, as S3 picks it. */
export function matchingCorsRule(rules: CorsRule[], question: CorsQuestion): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.origins.some((pattern) => wildcardMatch(pattern, question.origin, false)) &&
      rule.methods.includes(question.method) &&
      question.headers.every((header) => rule.headers.some((pattern) => wildcardMatch(pattern, header, true))),
  );
}

/** The `Access-Control-*` headers S3 answers a request (or, with requested headers, a preflight) that a rule allows. */
export function corsHeaders(rule: CorsRule, question: CorsQuestion): Record<string, string> {
  const anyOrigin = rule.origins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : question.origin,
    'access-control-allow-methods': rule.methods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (question.headers.length > 0) headers['access-control-allow-headers'] = question.headers.join(', ');
  if (rule.exposeHeaders.length > 0) headers['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['access-control-max-age'] = rule.maxAgeSeconds;
  return headers;
}

/** The question a preflight `OPTIONS` asks; S3's errors for one that asks nothing. */
export function preflightQuestion(headers: Record<string, string>): CorsQuestion {
  const origin = headers.origin;
  if (!origin) throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.', 400);
  const method = headers['access-control-request-method'];
  if (!method) throw new S3Error('BadRequest', 'Invalid Access-Control-Request-Method: null', 400);
  const requested = (headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  return { origin, method, headers: requested };
}

export function corsForbidden(reason: string, method: string, hasKey: boolean): S3Error {
  return new S3Error('AccessForbidden', `CORSResponse: ${reason}`, 403, { Method: method, ResourceType: hasKey ? 'OBJECT' : 'BUCKET' });
}

// `*` in a pattern stands for any run of characters (S3 allows one per AllowedOrigin, any number per AllowedHeader).
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const [parts, text] = ignoreCase ? [pattern.toLowerCase().split('*'), value.toLowerCase()] : [pattern.split('*'), value];
  if (parts.length === 1) return parts[0] === text;
  if (!text.startsWith(parts[0])) return false;
  let at = parts[0].length;
  // Each middle part at its first place after the previous one: no later place could match more.
  for (const middle of parts.slice(1, -1)) {
    const found = text.indexOf(middle, at);
    if (found < 0) return false;
    at = found + middle.length;
  }
  const last = parts[parts.length - 1];
  return text.length - last.length >= at && text.endsWith(last);
}
