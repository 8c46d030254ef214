/**
 * Assistant configurations as JSON files: one or all of a connection's assistants, to back up,
 * move between connections and keep in version control. Importing turns each configuration into
 * the create body for the target connection's api-version, and says what will be created first.
 */

export const EXPORT_FORMAT = "assistants-playground.assistants";
export const EXPORT_VERSION = 1;

const CONFIG_KEYS = [
  "name",
  "description",
  "instructions",
  "model",
  "tools",
  "tool_resources",
  "file_ids",
  "metadata",
  "temperature",
  "top_p",
  "response_format",
] as const;

export interface AssistantExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  connection: string;
  apiVersion: string;
  assistants: Array<Record<string, unknown>>;
}

/** The configuration of an assistant, without server-assigned fields except its source id. */
export function assistantConfig(a: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: a.id };
  for (const k of CONFIG_KEYS) if (a[k] !== undefined) out[k] = a[k];
  return out;
}

export function buildExport(
  assistants: ReadonlyArray<object>,
  source: { connection: string; apiVersion: string },
  now = new Date(),
): AssistantExport {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    connection: source.connection,
    apiVersion: source.apiVersion,
    assistants: assistants.map((a) => assistantConfig(a as Record<string, unknown>)),
  };
}

export function exportFileName(
  connection: string,
  assistants: ReadonlyArray<{ name?: string | null; id: string }>,
): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "assistant";
  const first = assistants[0];
  if (assistants.length === 1 && first) return `assistant-${slug(first.name || first.id)}.json`;
  return `assistants-${slug(connection)}-${assistants.length}.json`;
}
