// The SARIF 2.1.0 schema (draft-04) as a validator, with ajv's formats registered so `uri` and `date-time`
// are checked rather than ignored with a warning.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";

const require = createRequire(import.meta.url);
// Both are CommonJS whose module.exports is the function or class itself.
const AjvDraft04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

const schema = JSON.parse(
  readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
) as object;

let validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The schema's errors for a SARIF log; empty when it is valid. */
export function sarifErrors(log: unknown): ErrorObject[] {
  if (!validate) {
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate(log) ? [] : [...(validate.errors ?? [])];
}
