// Validates JSON output against docs/report.schema.json with a real JSON Schema validator (ajv, draft 2020-12).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schema = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

/** Throws with every schema violation listed when `document` does not match the published schema. */
export function expectMatchesSchema(document: unknown): void {
  if (!validate(document))
    throw new Error(
      `JSON output does not match docs/report.schema.json:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`
    );
}
