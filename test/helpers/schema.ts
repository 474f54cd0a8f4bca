/** Validates a report against the shipped JSON Schema (schema/report.schema.json) with Ajv. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';

const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const schemaPath = fileURLToPath(new URL('../../../schema/report.schema.json', import.meta.url));
const ajv = new (Ajv as unknown as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } })({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

/** Returns null when valid, else the validation errors as text. */
export function schemaErrors(report: unknown): string | null {
  return validate(report) ? null : JSON.stringify(validate.errors, null, 2);
}
