// YAML documents checked against a JSON Schema, with every error located at a file line.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parseYaml } from "./yaml.js";

export interface LocatedError {
  path: string;
  line: number;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** A checked document: its value (undefined when invalid), its errors, and the line of a path of keys. */
export interface ValidatedYaml {
  value: unknown;
  errors: LocatedError[];
  /** 1-based line of the node at a path of keys/indices (or of its nearest existing parent); 1 without a document */
  lineAt(path: readonly (string | number)[]): number;
}

export function validateYamlText(text: string, file: string, schema: object): ValidatedYaml {
  const parsed = parseYaml(text);
  const first = parsed.docs[0];
  const lineAt = (path: readonly (string | number)[]) => (first ? first.lineAt(path) : 1);
  if (parsed.errors.length > 0) {
    return {
      lineAt,
      value: undefined,
      errors: parsed.errors.map((e) => ({ path: file, line: e.line, message: `invalid YAML: ${e.message}` })),
    };
  }
  const doc = parsed.docs[0];
  if (parsed.docs.length > 1) {
    return {
      lineAt,
      value: undefined,
      errors: [{ path: file, line: parsed.docs[1]!.line, message: "expected one YAML document, found several" }],
    };
  }
  const value = doc?.value ?? null;
  const validate = compiledValidator(schema);
  if (validate(value)) return { value, errors: [], lineAt };
  const errors = relevantErrors(validate.errors ?? []).map((e) => {
    const keys = pointerToKeys(e.instancePath);
    const extra = e.keyword === "additionalProperties" ? String(e.params.additionalProperty) : undefined;
    const line = doc ? doc.lineAt(extra ? [...keys, extra] : keys) : 1;
    return { path: file, line, message: describe(e, keys, extra) };
  });
  return { value: undefined, errors: dedupe(errors).sort((a, b) => a.line - b.line), lineAt };
}

/** Compiles a schema once; schemas are identified by their $id, so re-reading the file is cheap. */
function compiledValidator(schema: object): ValidateFunction {
  const id = (schema as { $id?: string }).$id;
  const known = id === undefined ? undefined : ajv.getSchema(id);
  return known ?? ajv.compile(schema);
}

// oneOf/anyOf failures repeat their branches' errors; keep the most specific ones.
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "if");
  return specific.length > 0 ? specific : errors;
}

function pointerToKeys(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

function describe(e: ErrorObject, keys: (string | number)[], extra: string | undefined): string {
  const where = keys.length > 0 ? keys.join(".") : "the document";
  if (extra) return `unknown key "${extra}" in ${where}`;
  if (e.keyword === "enum") return `${where} must be one of: ${(e.params.allowedValues as unknown[]).join(", ")}`;
  return `${where} ${e.message ?? "is invalid"}`;
}

function dedupe(errors: LocatedError[]): LocatedError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.line}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
