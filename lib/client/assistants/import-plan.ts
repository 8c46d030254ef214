import { z } from "zod";
import { formFromAssistant, toRequestBody, validateForm, type AssistantLike } from "./form";
import { EXPORT_FORMAT, EXPORT_VERSION } from "./transfer";

const assistantSchema = z
  .object({
    id: z.string().optional(),
    model: z
      .string({ error: "model (the deployment) is required" })
      .min(1, "model (the deployment) is required"),
    name: z.string().nullish(),
    description: z.string().nullish(),
    instructions: z.string().nullish(),
    tools: z.array(z.record(z.string(), z.unknown())).optional(),
    tool_resources: z.record(z.string(), z.unknown()).nullish(),
    file_ids: z.array(z.string()).optional(),
    metadata: z.record(z.string(), z.string()).nullish(),
    temperature: z.number().nullish(),
    top_p: z.number().nullish(),
    response_format: z.unknown().optional(),
  })
  .loose();

const exportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  connection: z.string().optional(),
  apiVersion: z.string().optional(),
  assistants: z.array(z.unknown()),
});

export interface ImportItem {
  index: number;
  sourceId: string | null;
  name: string;
  model: string;
  /** The create body for the target api-version, null when the item cannot be created. */
  body: Record<string, unknown> | null;
  problems: string[];
  /** File and vector store ids the configuration refers to (they must exist on the target). */
  references: string[];
}

export interface ImportPlan {
  source: { connection: string | null; apiVersion: string | null };
  items: ImportItem[];
}

export class ImportError extends Error {}

/**
 * Reads an export file (or a bare assistant object / array of them, as the API returns them) and
 * plans the creations for `apiVersion`. With `keepReferences` false, file and vector store ids are
 * left out (they rarely exist on another connection).
 */
export function planImport(
  text: string,
  apiVersion: string,
  options: { keepReferences: boolean },
): ImportPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`The file is not valid JSON: ${(e as Error).message}`);
  }
  let list: unknown[];
  let source: ImportPlan["source"] = { connection: null, apiVersion: null };
  if (Array.isArray(raw)) list = raw;
  else if (raw && typeof raw === "object" && "format" in raw) {
    const parsed = exportSchema.safeParse(raw);
    if (!parsed.success)
      throw new ImportError(
        `This is not an assistants export this playground can read (format "${EXPORT_FORMAT}", version ${EXPORT_VERSION}): ${parsed.error.issues[0]?.message ?? "unknown shape"}.`,
      );
    list = parsed.data.assistants;
    source = { connection: parsed.data.connection ?? null, apiVersion: parsed.data.apiVersion ?? null };
  } else if (raw && typeof raw === "object" && Array.isArray((raw as { data?: unknown }).data))
    list = (raw as { data: unknown[] }).data;
  else if (raw && typeof raw === "object") list = [raw];
  else
    throw new ImportError(
      "The file holds no assistant: expected an export file, an assistant object or an array of them.",
    );
  if (list.length === 0) throw new ImportError("The file holds no assistants.");

  const items = list.map((entry, index): ImportItem => {
    const parsed = assistantSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        index,
        sourceId: null,
        name: `Item ${index + 1}`,
        model: "",
        body: null,
        problems: [`${issue?.path.join(".") || "item"}: ${issue?.message ?? "invalid"}`],
        references: [],
      };
    }
    const a = parsed.data;
    const form = formFromAssistant(a as AssistantLike);
    const references = [...form.codeInterpreterFileIds, ...form.vectorStoreIds];
    if (!options.keepReferences) {
      form.codeInterpreterFileIds = [];
      form.vectorStoreIds = [];
    }
    const errors = validateForm(form, apiVersion);
    const problems = Object.values(errors).filter((e): e is string => Boolean(e));
    return {
      index,
      sourceId: a.id ?? null,
      name: a.name || "(unnamed)",
      model: a.model,
      body: problems.length ? null : toRequestBody(form, apiVersion),
      problems,
      references,
    };
  });
  return { source, items };
}
