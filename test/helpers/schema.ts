/**
 * Validates a report against the shipped JSON Schema (schema/report.schema.json)
 * with Ajv. The shipped schema allows unknown properties (its compatibility
 * promise: a minor version only adds them); the tests validate against a
 * strict copy that forbids every property the schema does not describe, so a
 * field added to the report without the schema fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';

const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const schemaPath = fileURLToPath(new URL('../../../schema/report.schema.json', import.meta.url));
export const SHIPPED_SCHEMA = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;

/** The schema with `additionalProperties: false` on every object that lists its properties. */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, strictSchema(s)])) : strictSchema(v);
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

type Validator = ((d: unknown) => boolean) & { errors?: unknown };
const ajv = new (Ajv as unknown as new (o: object) => { compile(s: object): Validator })({ allErrors: true, strict: false });
const validate = ajv.compile(strictSchema(SHIPPED_SCHEMA) as object);
const ajvShipped = new (Ajv as unknown as new (o: object) => { compile(s: object): Validator })({ allErrors: true, strict: false });
const validateShipped = ajvShipped.compile(SHIPPED_SCHEMA);

/** Returns null when valid (against the strict copy), else the validation errors as text. */
export function schemaErrors(report: unknown): string | null {
  return validate(report) ? null : JSON.stringify(validate.errors, null, 2);
}

/** Validates against the schema as shipped (unknown properties allowed). */
export function shippedSchemaErrors(report: unknown): string | null {
  return validateShipped(report) ? null : JSON.stringify(validateShipped.errors, null, 2);
}
