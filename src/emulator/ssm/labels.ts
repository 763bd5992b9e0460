import { ServiceError } from '../wire.ts';
import { latestVersion, requireVersion, type StoredParameter } from './parameters.ts';

/**
 * Parameter labels, by the rules of LabelParameterVersion
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_LabelParameterVersion.html):
 * at most 10 labels on a version; a label names one version of a parameter at a time, so
 * attaching it elsewhere moves it; a label of up to 100 letters, digits, periods, hyphens and
 * underscores, not beginning with a digit, "aws" or "ssm" (any case). Labels that break these
 * rules are attached nowhere and come back in InvalidLabels.
 */
const MAX_LABELS_PER_VERSION = 10;
const LABEL_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

function isValidLabel(label: string): boolean {
  return LABEL_PATTERN.test(label) && !/^[0-9]/.test(label) && !/^(aws|ssm)/i.test(label);
}

/** Attaches `labels` to a version (the latest without one); what the call answers. */
export function labelVersion(parameter: StoredParameter, versionNumber: number | undefined, labels: string[]): { InvalidLabels: string[]; ParameterVersion: number } {
  checkLabelCount(labels);
  const version = versionNumber === undefined ? latestVersion(parameter) : requireVersion(parameter, versionNumber);
  const valid = [...new Set(labels.filter(isValidLabel))];
  const merged = [...new Set([...(version.labels ?? []), ...valid])];
  if (merged.length > MAX_LABELS_PER_VERSION) {
    throw new ServiceError('ParameterVersionLabelLimitExceeded', `A parameter version can have maximum ${MAX_LABELS_PER_VERSION} labels. Move one or more labels to another version and try again.`);
  }
  for (const other of parameter.versions) if (other !== version && other.labels) other.labels = other.labels.filter((label) => !valid.includes(label));
  version.labels = merged;
  return { InvalidLabels: labels.filter((label) => !isValidLabel(label)), ParameterVersion: version.version };
}

/** Detaches `labels` from a version; those it does not carry come back as invalid, as UnlabelParameterVersion answers. */
export function unlabelVersion(parameter: StoredParameter, versionNumber: number, labels: string[]): { RemovedLabels: string[]; InvalidLabels: string[] } {
  checkLabelCount(labels);
  const version = requireVersion(parameter, versionNumber);
  const carried = version.labels ?? [];
  const removed = labels.filter((label) => carried.includes(label));
  version.labels = carried.filter((label) => !labels.includes(label));
  return { RemovedLabels: removed, InvalidLabels: labels.filter((label) => !carried.includes(label)) };
}

function checkLabelCount(labels: string[]): void {
  if (labels.length === 0 || labels.length > MAX_LABELS_PER_VERSION) {
    throw new ServiceError('ValidationException', `1 validation error detected: Value at 'labels' failed to satisfy constraint: Member must have length less than or equal to ${MAX_LABELS_PER_VERSION} and greater than or equal to 1`);
  }
}
