// Validates engine traffic against the official Azure OpenAI specs in specs/ (a verbatim copy, specs/SOURCES.md).
// The specs are OpenAPI 3.0 (inference.json) and Swagger 2.0 (assistants_generated.json); both are
// converted to plain JSON Schema and compiled with ajv on first use.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";

export type SpecVersion = "2024-02-15-preview" | "2024-05-01-preview" | "2024-07-01-preview";

export const SPEC_VERSIONS: readonly SpecVersion[] = [
  "2024-02-15-preview",
  "2024-05-01-preview",
  "2024-07-01-preview",
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// ajv-formats is CommonJS; depending on interop it arrives as the function or as { default }.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** Where the specs live: $ASSISTANTS_SPECS_DIR, else the nearest `specs/` (or a sibling project's
 *  `shared/specs/`) found walking up from the working directory. No import.meta, so CJS transpilers
 *  load it too. */
export function specsDir(): string {
  const fromEnv = process.env.ASSISTANTS_SPECS_DIR;
  if (fromEnv) {
    if (!existsSync(path.join(fromEnv, "azure-openai")))
      throw new Error(`ASSISTANTS_SPECS_DIR=${fromEnv} has no azure-openai/<version>/inference.json.`);
    return fromEnv;
  }
  // The repository vendors a verbatim copy in specs/ (see specs/SOURCES.md); a checkout beside the
  // project's shared/ folder finds that one too.
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, "specs"), path.join(dir, "shared", "specs")]) {
      if (existsSync(path.join(candidate, "azure-openai"))) return candidate;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(
    `Spec files not found: no specs/azure-openai above ${process.cwd()}. Set ASSISTANTS_SPECS_DIR.`,
  );
}

const readJson = (file: string): JsonObject => JSON.parse(readFileSync(file, "utf8")) as JsonObject;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// api-version → spec file

/** Maps any supported api-version to the spec file that describes it (v1 family → 2024-02-15; 2024-05 → 05-01; later → 07-01). */
export function specVersionFor(apiVersion: string): SpecVersion {
  const m = /^(\d{4})-(\d{2})-(\d{2})-preview$/.exec(apiVersion);
  if (!m)
    throw new Error(
      `api-version "${apiVersion}" has no Assistants spec: Assistants exist only on dated *-preview versions from 2024-02-15-preview.`,
    );
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (date < "2024-02-15")
    throw new Error(`api-version "${apiVersion}" predates the Assistants API (first: 2024-02-15-preview).`);
  if (date < "2024-05-01") return "2024-02-15-preview";
  if (date < "2024-07-01") return "2024-05-01-preview";
  return "2024-07-01-preview";
}

// ---------------------------------------------------------------------------------------------
// Patches. Everything the spec gets wrong is fixed here, in one place, each with its reason.

type Patch = { what: string; apply: (schemas: JsonObject, version: SpecVersion) => void };

const prop = (schemas: JsonObject, schema: string, property: string): JsonObject | undefined => {
  const s = schemas[schema];
  if (!isObject(s) || !isObject(s.properties)) return undefined;
  const p = s.properties[property];
  return isObject(p) ? p : undefined;
};

/** The patches applied to `inference.json` before conversion (exported so tests can list them). */
export const SPEC_PATCHES: readonly Patch[] = [
  {
    // Typo: the spec's enum says assistant.run.step; its own examples, OpenAI and the service say thread.run.step.
    what: "runStepObject.object is 'thread.run.step' (spec: 'assistant.run.step')",
    apply: (schemas) => {
      const p = prop(schemas, "runStepObject", "object");
      if (p) p.enum = ["thread.run.step"];
    },
  },
  {
    // 'incomplete' is a real terminal run status (OpenAI spec, openai-node's poll loop); Azure's enum omits it.
    what: "runObject.status includes 'incomplete'",
    apply: (schemas) => {
      const p = prop(schemas, "runObject", "status");
      if (p && Array.isArray(p.enum) && !p.enum.includes("incomplete")) p.enum = [...p.enum, "incomplete"];
    },
  },
  {
    // 2024-05-01 lists 'bytes' in required but defines only usage_bytes (the service sends usage_bytes).
    what: "vectorStoreObject.required drops 'bytes' (the property is usage_bytes)",
    apply: (schemas) => {
      const s = schemas.vectorStoreObject;
      if (isObject(s) && Array.isArray(s.required)) s.required = s.required.filter((r) => r !== "bytes");
    },
  },
  {
    // Same kind of typo as 'bytes': the v1 file-list envelopes require 'items', which is not a property
    // (the list is in 'data', like every other list).
    what: "listAssistantFilesResponse / listMessageFilesResponse.required drop 'items' (v1; the list is 'data')",
    apply: (schemas) => {
      for (const name of ["listAssistantFilesResponse", "listMessageFilesResponse"]) {
        const s = schemas[name];
        if (isObject(s) && Array.isArray(s.required) && !(isObject(s.properties) && "items" in s.properties))
          s.required = s.required.filter((r) => r !== "items");
      }
    },
  },
  {
    // Not one of the three known typos, but forced by the spec's own example (get_run.json, a completed run
    // with "expires_at": null) and by OpenAI's spec: a run that can no longer expire has expires_at null.
    what: "runObject.expires_at is nullable (the spec's own get_run example has null)",
    apply: (schemas) => {
      const p = prop(schemas, "runObject", "expires_at");
      if (p) p.nullable = true;
    },
  },
  {
    // Azure's errorResponse requires nothing, so any JSON object would pass as an error. Every documented and
    // observed Azure error body has error.message, and the SDK builds its APIError from it.
    what: "errorResponse requires 'error', and error requires 'message'",
    apply: (schemas) => {
      const r = schemas.errorResponse;
      if (isObject(r)) r.required = ["error"];
      const e = schemas.error;
      if (isObject(e)) e.required = ["message"];
    },
  },
];

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.0 / Swagger 2.0 → JSON Schema (draft-07, as ajv's default dialect reads it)

const DROPPED_KEYS = new Set([
  "example",
  "examples",
  "externalDocs",
  "xml",
  "readOnly",
  "writeOnly",
  "deprecated",
  "discriminator",
  "nullable",
  "default",
]);
const SCHEMA_ARRAYS = ["allOf", "anyOf", "oneOf"] as const;

interface ConvertContext {
  /** Rewrites a spec-local $ref into one ajv can resolve. */
  ref: (ref: string) => string;
  /** Resolves a spec-local $ref to its raw (unconverted) schema, to recognise discriminated unions. */
  resolve: (ref: string) => JsonObject | undefined;
  formats: Set<string>;
}

function convert(node: Json, ctx: ConvertContext): Json {
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || DROPPED_KEYS.has(key)) continue;
    if (key === "$ref" && typeof value === "string") out.$ref = ctx.ref(value);
    else if (
      (key === "properties" || key === "patternProperties" || key === "definitions") &&
      isObject(value)
    ) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, convert(s, ctx)]));
    } else if ((SCHEMA_ARRAYS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((s) => convert(s, ctx));
    } else if ((key === "items" || key === "additionalProperties" || key === "not") && isObject(value)) {
      out[key] = convert(value, ctx);
    } else if (key === "format" && typeof value === "string") {
      ctx.formats.add(value);
      out.format = value;
    } else out[key] = value;
  }
  if (Array.isArray(out.oneOf) && discriminatorOf(node.oneOf as Json[], ctx))
    out.discriminator = { propertyName: "type" };
  // OpenAPI 3.0 puts siblings beside $ref that 3.0 itself ignores (e.g. `$ref` + `nullable`); keep only
  // the $ref so the nullable wrapper below is the one place that widens it.
  if (typeof out.$ref === "string")
    for (const k of Object.keys(out)) if (k !== "$ref" && k !== "description") delete out[k];
  const nullable = node.nullable === true || node["x-nullable"] === true;
  return nullable ? makeNullable(out) : out;
}

/** OpenAPI's `nullable: true` means "or null": a bare type gains "null"; anything composite is wrapped. */
function makeNullable(schema: JsonObject): JsonObject {
  const composite = "$ref" in schema || SCHEMA_ARRAYS.some((k) => k in schema);
  if (!composite && typeof schema.type === "string") {
    const widened: JsonObject = { ...schema, type: [schema.type, "null"] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) widened.enum = [...schema.enum, null];
    return widened;
  }
  return { anyOf: [{ type: "null" }, schema] };
}

/** A oneOf whose branches are objects each requiring a distinct single `type` value is a tagged union; ajv's
 *  discriminator then reports the errors of the matching branch only, instead of every branch's. */
function discriminatorOf(branches: Json[], ctx: ConvertContext): boolean {
  const tags = new Set<string>();
  for (const branch of branches) {
    const raw = isObject(branch) && typeof branch.$ref === "string" ? ctx.resolve(branch.$ref) : branch;
    if (!isObject(raw) || raw.nullable === true || raw["x-nullable"] === true) return false;
    const tag = isObject(raw.properties) ? raw.properties.type : undefined;
    if (
      !isObject(tag) ||
      !Array.isArray(tag.enum) ||
      tag.enum.length !== 1 ||
      typeof tag.enum[0] !== "string"
    )
      return false;
    if (!Array.isArray(raw.required) || !raw.required.includes("type")) return false;
    if (tags.has(tag.enum[0])) return false;
    tags.add(tag.enum[0]);
  }
  return tags.size > 1;
}

// ---------------------------------------------------------------------------------------------
// Loading

type Method = "get" | "post" | "delete";
interface Operation {
  method: Method;
  template: string;
  segments: string[];
  /** status → "$id#/definitions/Name" of the response schema, or "binary" */
  responses: Map<string, string>;
}

interface LoadedSpec {
  version: SpecVersion;
  ajv: Ajv;
  operations: Operation[];
  /** schema name → absolute ref */
  schemaRefs: Map<string, string>;
  /** streamed event name → absolute ref of its data schema ("done" → the doneEvent data schema) */
  events: Map<string, string>;
  validators: Map<string, ValidateFunction>;
}

const INFERENCE_ID = "https://spec.local/azure-inference";
const TSP_ID = "https://spec.local/azure-assistants";
const OPENAI_ID = "https://spec.local/openai";

const loaded = new Map<SpecVersion, LoadedSpec>();

function tspVersionFor(version: SpecVersion): SpecVersion {
  // There is no TypeSpec Assistants file for 2024-07-01-preview; /files is unchanged from 2024-05-01.
  return version === "2024-07-01-preview" ? "2024-05-01-preview" : version;
}

function loadSpec(version: SpecVersion): LoadedSpec {
  const cached = loaded.get(version);
  if (cached) return cached;
  const dir = specsDir();
  const inference = readJson(path.join(dir, "azure-openai", version, "inference.json"));
  const tsp = readJson(path.join(dir, "azure-openai", tspVersionFor(version), "assistants_generated.json"));

  const formats = new Set<string>();
  const rawSchemas = structuredClone((inference.components as JsonObject).schemas as JsonObject);
  for (const patch of SPEC_PATCHES) patch.apply(rawSchemas, version);
  const rawDefinitions = tsp.definitions as JsonObject;

  const inferenceCtx: ConvertContext = {
    ref: (r) => r.replace("#/components/schemas/", `${INFERENCE_ID}#/definitions/`),
    resolve: (r) =>
      isObject(rawSchemas[r.split("/").pop() ?? ""])
        ? (rawSchemas[r.split("/").pop() ?? ""] as JsonObject)
        : undefined,
    formats,
  };
  const tspCtx: ConvertContext = {
    ref: (r) => r.replace("#/definitions/", `${TSP_ID}#/definitions/`),
    resolve: (r) =>
      isObject(rawDefinitions[r.split("/").pop() ?? ""])
        ? (rawDefinitions[r.split("/").pop() ?? ""] as JsonObject)
        : undefined,
    formats,
  };
  const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema({ $id: INFERENCE_ID, ...(convert({ definitions: rawSchemas }, inferenceCtx) as JsonObject) });
  ajv.addSchema({ $id: TSP_ID, ...(convert({ definitions: rawDefinitions }, tspCtx) as JsonObject) });
  let inlineCount = 0;
  const registerTsp = (schema: Json): string => {
    const id = `${TSP_ID}/inline/${++inlineCount}`;
    ajv.addSchema({ $id: id, ...(convert(schema, tspCtx) as JsonObject) });
    return id;
  };
  const registerInference = (schema: Json): string => {
    const id = `${INFERENCE_ID}/inline/${++inlineCount}`;
    ajv.addSchema({ $id: id, ...(convert(schema, inferenceCtx) as JsonObject) });
    return id;
  };

  const schemaRefs = new Map<string, string>();
  for (const name of Object.keys(rawDefinitions)) schemaRefs.set(name, `${TSP_ID}#/definitions/${name}`);
  for (const name of Object.keys(rawSchemas)) schemaRefs.set(name, `${INFERENCE_ID}#/definitions/${name}`);

  const operations = [
    ...operationsOf(inference, "oas3", inferenceCtx.ref, registerInference),
    ...operationsOf(
      {
        paths: Object.fromEntries(
          Object.entries(tsp.paths as JsonObject).filter(([p]) => p.startsWith("/files")),
        ),
      },
      "swagger2",
      tspCtx.ref,
      registerTsp,
    ),
  ];
  addMissingOperations(version, operations, schemaRefs);
  // Formats the specs use that ajv-formats does not define (e.g. "unixtime") carry no rule to check.
  for (const f of formats) if (!ajv.formats[f]) ajv.addFormat(f, true);

  const spec: LoadedSpec = {
    version,
    ajv,
    operations,
    schemaRefs,
    events: eventsOf(rawSchemas, inferenceCtx.ref),
    validators: new Map(),
  };
  loaded.set(version, spec);
  return spec;
}

function operationsOf(
  doc: JsonObject,
  dialect: "oas3" | "swagger2",
  ref: (r: string) => string,
  register: (schema: Json) => string,
): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths as JsonObject)) {
    if (!isObject(item)) continue;
    for (const method of ["get", "post", "delete"] as const) {
      const op = item[method];
      if (!isObject(op) || !isObject(op.responses)) continue;
      const responses = new Map<string, string>();
      for (const [status, response] of Object.entries(op.responses)) {
        if (!isObject(response)) continue;
        const schema = dialect === "oas3" ? firstContentSchema(response) : response.schema;
        if (!isObject(schema)) continue;
        if (typeof schema.$ref === "string") responses.set(status, ref(schema.$ref));
        else if (schema.type === "string" && (schema.format === "byte" || schema.format === "binary"))
          responses.set(status, "binary");
        else responses.set(status, register(schema)); // inline schemas, e.g. the TypeSpec file's list envelopes
      }
      ops.push({ method, template, segments: splitPath(template), responses });
    }
  }
  return ops;
}

function firstContentSchema(response: JsonObject): Json | undefined {
  if (!isObject(response.content)) return undefined;
  const json = response.content["application/json"] ?? Object.values(response.content)[0];
  return isObject(json) ? json.schema : undefined;
}

/** Endpoints the service has but `inference.json` leaves out; their schemas are in the same file. */
function addMissingOperations(
  version: SpecVersion,
  operations: Operation[],
  schemaRefs: Map<string, string>,
): void {
  const add = (method: Method, template: string, schema: string) => {
    const ref = schemaRefs.get(schema);
    if (!ref || operations.some((o) => o.method === method && o.template === template)) return;
    operations.push({ method, template, segments: splitPath(template), responses: new Map([["200", ref]]) });
  };
  // deleteMessageResponse is defined (and delete_message.json is in the examples) but the path is missing.
  if (version !== "2024-02-15-preview")
    add("delete", "/threads/{thread_id}/messages/{message_id}", "deleteMessageResponse");
  // listThreadsResponse is defined but no path uses it; Foundry and the local engine list threads.
  add("get", "/threads", "listThreadsResponse");
}

function eventsOf(rawSchemas: JsonObject, ref: (r: string) => string): Map<string, string> {
  const events = new Map<string, string>();
  const visit = (s: Json | undefined) => {
    if (!isObject(s)) return;
    if (Array.isArray(s.oneOf))
      for (const b of s.oneOf)
        visit(isObject(b) && typeof b.$ref === "string" ? rawSchemas[b.$ref.split("/").pop() ?? ""] : b);
    const props = s.properties;
    if (
      !isObject(props) ||
      !isObject(props.event) ||
      !isObject(props.data) ||
      !Array.isArray(props.event.enum)
    )
      return;
    const name = props.event.enum[0];
    if (typeof name !== "string") return;
    if (typeof props.data.$ref === "string") events.set(name, ref(props.data.$ref));
    else events.set(name, `${ref("#/components/schemas/doneEvent")}/properties/data`);
  };
  visit(rawSchemas.assistantStreamEvent);
  // Patch: OpenAI's catalogue (and openai-node) has thread.run.incomplete; Azure's omits it with the status.
  if (events.has("thread.run.completed") && !events.has("thread.run.incomplete"))
    events.set("thread.run.incomplete", events.get("thread.run.completed")!);
  return events;
}

const splitPath = (p: string): string[] => p.split("/").filter(Boolean);

// ---------------------------------------------------------------------------------------------
// OpenAI's error body (for OpenAI-style errors with code/param null, which Azure's schema types as strings)

let openaiAjv: Ajv | undefined;
const openaiValidators = new Map<string, ValidateFunction>();
/** A validator for one schema of OpenAI's spec, with what it references, built on first use. */
function openaiSchema(name: "ErrorResponse" | "Error"): ValidateFunction {
  const cached = openaiValidators.get(name);
  if (cached) return cached;
  if (!openaiAjv) {
    const yaml = readFileSync(path.join(specsDir(), "openai", "openapi.yaml"), "utf8");
    const needed: JsonObject = {};
    const collect = (n: string) => {
      if (n in needed) return;
      const schema = openaiComponent(yaml, n);
      if (!schema) throw new Error(`OpenAI spec: no components.schemas.${n}`);
      needed[n] = schema;
      for (const m of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g))
        collect(m[1] ?? "");
    };
    collect("ErrorResponse");
    const ctx: ConvertContext = {
      ref: (r) => r.replace("#/components/schemas/", `${OPENAI_ID}#/definitions/`),
      resolve: (r) => needed[r.split("/").pop() ?? ""] as JsonObject,
      formats: new Set(),
    };
    openaiAjv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    openaiAjv.addSchema({ $id: OPENAI_ID, ...(convert({ definitions: needed }, ctx) as JsonObject) });
  }
  const v = openaiAjv.compile({ $ref: `${OPENAI_ID}#/definitions/${name}` });
  openaiValidators.set(name, v);
  return v;
}

/** One entry of `components.schemas`, cut out of the YAML text: parsing the whole 3 MB file costs seconds
 *  per test worker, and each schema is a block at a fixed four-space indent. */
function openaiComponent(yaml: string, name: string): JsonObject | undefined {
  const start = yaml.indexOf(`\n    ${name}:\n`, yaml.indexOf("\ncomponents:\n  schemas:\n"));
  if (start === -1) return undefined;
  const bodyStart = start + name.length + 7;
  const next = /\n {0,4}\S/.exec(yaml.slice(bodyStart));
  const block = yaml.slice(bodyStart, next ? bodyStart + next.index : undefined);
  const parsed = parseYaml(block.replace(/^ {6}/gm, "")) as Json;
  return isObject(parsed) ? parsed : undefined;
}

/** Azure's schema first; OpenAI-style errors ({"code": null, "param": null}) are what Azure itself returns for
 *  missing objects, and Azure types those fields as non-null strings, so OpenAI's schema is the fallback. */
function checkError(
  spec: LoadedSpec,
  azureName: "errorResponse" | "error",
  openaiName: "ErrorResponse" | "Error",
  value: unknown,
  label: string,
): void {
  try {
    check(spec, spec.schemaRefs.get(azureName)!, value, `${label} (${azureName})`);
  } catch (azureError) {
    if (openaiSchema(openaiName)(value)) return;
    throw azureError;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

function validatorFor(spec: LoadedSpec, ref: string): ValidateFunction {
  let v = spec.validators.get(ref);
  if (!v) {
    v = spec.ajv.compile({ $ref: ref });
    spec.validators.set(ref, v);
  }
  return v;
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

const preview = (v: unknown): string => {
  const s = v === undefined ? "undefined" : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/** One line per violation: where, what the spec wants, and what was there. */
export function formatErrors(errors: readonly ErrorObject[], data: unknown): string[] {
  const lines: string[] = [];
  for (const e of errors) {
    // A failing anyOf/oneOf also reports each branch; the summary line adds nothing a reader can act on.
    if (
      (e.keyword === "anyOf" || e.keyword === "oneOf") &&
      errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath))
    )
      continue;
    const where = e.instancePath || "(root)";
    let what = e.message ?? e.keyword;
    if (e.keyword === "enum")
      what += ` [${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")}]`;
    if (e.keyword === "discriminator")
      what = `${String(e.params.tag)} ${JSON.stringify(e.params.tagValue)} matches no member of the tagged union`;
    const got = e.keyword === "required" ? "" : ` — got ${preview(valueAt(data, e.instancePath))}`;
    lines.push(`${where}: ${what}${got}`);
  }
  return [...new Set(lines)];
}

function check(spec: LoadedSpec, ref: string, value: unknown, label: string): void {
  const validate = validatorFor(spec, ref);
  if (validate(value)) return;
  const lines = formatErrors(validate.errors ?? [], value);
  throw new Error(
    `${label} does not match ${spec.version}: ${lines.length} violation(s)\n  ${lines.join("\n  ")}`,
  );
}

function refName(ref: string): string {
  return ref.includes("/inline/") ? "inline schema" : (ref.split("/").pop() ?? ref);
}

/** Normalises a concrete request path: query and fragment dropped, a leading /openai removed. */
function normalisePath(p: string): string[] {
  let pathname = p;
  try {
    if (/^[a-z]+:\/\//i.test(p)) pathname = new URL(p).pathname;
  } catch {
    /* fall through with the raw value */
  }
  pathname = pathname.split(/[?#]/)[0] ?? "";
  const segments = splitPath(pathname);
  if (segments[0] === "openai") segments.shift();
  return segments;
}

/** The documented operation for `method path`, preferring literal segments over parameters
 *  (`POST /threads/runs` is create-thread-and-run, not modify-thread). */
export function findOperation(
  version: SpecVersion,
  method: string,
  pathOrUrl: string,
): { template: string; responses: Map<string, string> } | undefined {
  const spec = loadSpec(version);
  const segments = normalisePath(pathOrUrl);
  const m = method.toLowerCase();
  let best: Operation | undefined;
  let bestScore = -1;
  for (const op of spec.operations) {
    if (op.method !== m || op.segments.length !== segments.length) continue;
    let score = 0;
    let ok = true;
    op.segments.forEach((t, i) => {
      const s = segments[i];
      if (t.startsWith("{")) ok &&= !!s;
      else if (t === s) score++;
      else ok = false;
    });
    if (ok && score > bestScore) [best, bestScore] = [op, score];
  }
  return best;
}

const isBinaryBody = (b: unknown) =>
  typeof b === "string" ||
  b instanceof Uint8Array ||
  b instanceof ArrayBuffer ||
  (typeof Blob !== "undefined" && b instanceof Blob);

/** Throws an Error listing every violation (path + message) if `body` does not match the documented response
 *  of `method path` (a concrete path like `/threads/thread_1/runs/run_2`, relative to `/openai`, query ignored)
 *  for that status; 4xx/5xx bodies are checked against the error schema. Unknown operation → throws. */
export function expectSpecResponse(
  version: SpecVersion,
  method: string,
  path: string,
  status: number,
  body: unknown,
): void {
  const spec = loadSpec(version);
  const label = `${method.toUpperCase()} ${path} → ${status}`;
  if (status >= 400) {
    // Errors are checked whatever the route: refusing an unknown route or api-version is itself an error body.
    checkError(spec, "errorResponse", "ErrorResponse", body, label);
    return;
  }
  const op = findOperation(version, method, path);
  if (!op) throw new Error(`${label}: no such operation in the ${version} spec (unknown method or path).`);
  const ref = op.responses.get(String(status));
  if (!ref)
    throw new Error(
      `${label}: status ${status} is not documented for ${method.toUpperCase()} ${op.template} (documented: ${[...op.responses.keys()].join(", ")}).`,
    );
  if (ref === "binary") {
    if (!isBinaryBody(body))
      throw new Error(`${label}: ${op.template} returns raw bytes, got ${preview(body)}.`);
    return;
  }
  check(spec, ref, body, `${label} (${refName(ref)})`);
}

/** Validates a value against a named schema of that spec (e.g. "runObject", "messageObject"). */
export function expectSpecSchema(version: SpecVersion, schemaName: string, value: unknown): void {
  const spec = loadSpec(version);
  const ref = spec.schemaRefs.get(schemaName);
  if (!ref) throw new Error(`No schema "${schemaName}" in the ${version} spec.`);
  check(spec, ref, value, schemaName);
}

/** The streamed event names the spec documents for that version (empty for v1, which has no streaming). */
export function specEventNames(version: SpecVersion): string[] {
  return [...loadSpec(version).events.keys()];
}

/** Validates one streamed event's data by event name (thread.run.* → run, thread.run.step.* → run step,
 *  thread.message.* → message, *.delta → the delta schemas, thread.created → thread, error → error). */
export function expectSpecEvent(version: SpecVersion, event: string, data: unknown): void {
  const spec = loadSpec(version);
  if (spec.events.size === 0)
    throw new Error(`event "${event}": ${version} (Assistants v1) has no streaming.`);
  const ref = spec.events.get(event);
  if (!ref)
    throw new Error(
      `event "${event}" is not in the ${version} event catalogue (${[...spec.events.keys()].join(", ")}).`,
    );
  // The SDK only raises a clean APIError for {"error": {...}}; the spec documents the bare error object.
  // Either form is accepted, and the inner object is what gets checked.
  if (event === "error")
    return checkError(
      spec,
      "error",
      "Error",
      isObject(data) && isObject(data.error) ? data.error : data,
      `event ${event}`,
    );
  check(spec, ref, data, `event ${event} (${refName(ref) === "data" ? "doneEvent.data" : refName(ref)})`);
}
