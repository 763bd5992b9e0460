/**
 * How much input stackpilot reads, so that no template, parameter file or manifest (which may
 * come from a pull request) can stall it, exhaust its memory or overflow its stack. See
 * "Limits on input" in the README.
 */

/** CloudFormation's limit on a TemplateBody in a request, in bytes. */
export const TEMPLATE_BODY_LIMIT_BYTES = 51_200;

/** CloudFormation's limit on a template read from S3 (TemplateURL), in bytes. */
export const TEMPLATE_URL_LIMIT_BYTES = 1_000_000;

/**
 * The most work one pattern match may take, as pattern length x value length (RE2 runs in time
 * proportional to both): a 1,000-character AllowedPattern checks values of up to 100,000
 * characters. Longer values are reported as too long to check.
 */
export const MAX_PATTERN_WORK = 100_000_000;
