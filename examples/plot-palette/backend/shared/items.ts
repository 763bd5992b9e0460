/**
 * Models to DynamoDB items and back, with the SDK's own marshalling. Dates are stored as
 * `toISOString()` text: always UTC with milliseconds, so string order is time order and
 * range keys such as the Jobs index's `created_at` sort correctly.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { z } from 'zod';
import { validateModel } from './models.ts';

export type Item = Record<string, AttributeValue>;

/** The item for `value`, which is checked against `schema` first so nothing invalid is written. */
export function toItem<S extends z.ZodType>(schema: S, value: z.input<S> | z.output<S>): Item {
  // A model is an object, so its stored form is a record: marshall's record overload, typed.
  return marshall(storedForm(validateModel(schema, value)) as Record<string, NativeAttributeValue>, { removeUndefinedValues: true });
}

/** The model held by `item`; a ModelValidationError if the item is not a valid one. */
export function fromItem<S extends z.ZodType>(schema: S, item: Item): z.output<S> {
  return validateModel(schema, unmarshall(item));
}

function storedForm(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(storedForm);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, storedForm(inner)]));
  return value;
}
