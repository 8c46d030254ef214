/**
 * Checks that a value is a valid JSON Schema, with ajv in strict mode. ajv is loaded on demand so
 * it stays out of the page's first-load JS.
 */
type AjvInstance = { compile: (schema: object) => unknown };
let ajvPromise: Promise<AjvInstance> | null = null;

function loadAjv(): Promise<AjvInstance> {
  ajvPromise ??= import("ajv").then(({ default: Ajv }) => new Ajv({ strict: true, allErrors: false }));
  return ajvPromise;
}

/** null when the schema compiles; else a message naming the first problem. */
export async function checkJsonSchema(schema: unknown, label = "parameters"): Promise<string | null> {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema))
    return `${label} must be a JSON Schema object.`;
  const ajv = await loadAjv();
  try {
    ajv.compile(schema);
    return null;
  } catch (e) {
    const message = (e as Error).message.replace(/^schema is invalid: /, "");
    return `${label} is not a valid JSON Schema: ${message}`;
  }
}
