/**
 * How much input stackpilot reads, so that no template, parameter file or manifest (which may
 * come from a pull request) can stall it, exhaust its memory or overflow its stack. See
 * "Limits on input" in the README.
 */

/** CloudFormation's limit on a TemplateBody in a request, in bytes. */
export const TEMPLATE_BODY_LIMIT_BYTES = 51_200;

/** CloudFormation's limit on a template read from S3 (TemplateURL), in bytes. */
export const TEMPLATE_URL_LIMIT_BYTES = 1_000_000;

/** CloudFormation's quotas on the entries of a template's sections. */
export const SECTION_LIMITS = { Resources: 500, Parameters: 200, Outputs: 200, Mappings: 200 } as const;

/**
 * The largest file `stackpilot validate` reads (templates, parameter files, manifests): five
 * times what CloudFormation accepts, so an oversized template still gets its findings.
 */
export const MAX_FILE_BYTES = 5_000_000;

/**
 * How many values (scalars, keys included, and collections) one document may hold. Memory
 * goes with the number of values more than with bytes (`[1,1,1,...]` is a value every two
 * bytes); a dense 1 MB template (ten bytes a value) holds about 100,000.
 */
export const MAX_DOCUMENT_VALUES = 150_000;

/** Syntax problems reported per document: past these, one more says how many were left out. */
export const MAX_SYNTAX_PROBLEMS = 100;

/** How deep mappings and lists may nest in a document; deeper is refused before it is built. */
export const MAX_NESTING_DEPTH = 100;

/** How many YAML aliases (`*name`) one document may use. */
export const MAX_YAML_ALIASES = 1_000;

/** How many values YAML aliases may copy into one document, in all (a few hundred bytes can otherwise expand to billions). */
export const MAX_ALIAS_EXPANSION = 100_000;

/**
 * The most work one pattern match may take, as pattern length x value length (RE2 runs in time
 * proportional to both): a 1,000-character AllowedPattern checks values of up to 100,000
 * characters. Longer values are reported as too long to check.
 */
export const MAX_PATTERN_WORK = 100_000_000;
