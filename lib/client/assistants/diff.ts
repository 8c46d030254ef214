/** What saving changes: the differences between two request bodies, in words a person reads. */

export interface Change {
  field: string;
  before: string;
  after: string;
}

const LABELS: Record<string, string> = {
  model: "Deployment",
  name: "Name",
  description: "Description",
  instructions: "Instructions",
  metadata: "Metadata",
  file_ids: "Files (file_ids)",
  temperature: "Temperature",
  top_p: "Top P",
  response_format: "Response format",
};

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "(none)";
  if (typeof value === "string")
    return value.length > 80 ? `${value.slice(0, 77)}… (${value.length} chars)` : value;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

type Tool = { type?: string; function?: { name?: string } };
const toolKey = (t: Tool) => (t.type === "function" ? `function ${t.function?.name ?? ""}` : String(t.type));
const toolLabel = (key: string) =>
  key === "code_interpreter"
    ? "Code interpreter"
    : key === "file_search"
      ? "File search"
      : `Function ${key.slice(9)}`;

export function diffBodies(before: Record<string, unknown>, after: Record<string, unknown>): Change[] {
  const changes: Change[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) {
    if (key === "tools" || key === "tool_resources") continue;
    if (!same(before[key], after[key]))
      changes.push({ field: LABELS[key] ?? key, before: show(before[key]), after: show(after[key]) });
  }
  const bt = new Map(((before.tools as Tool[] | undefined) ?? []).map((t) => [toolKey(t), t]));
  const at = new Map(((after.tools as Tool[] | undefined) ?? []).map((t) => [toolKey(t), t]));
  for (const [k, t] of at) {
    const old = bt.get(k);
    if (!old) changes.push({ field: toolLabel(k), before: "(off)", after: "on" });
    else if (!same(old, t)) changes.push({ field: toolLabel(k), before: show(old), after: show(t) });
  }
  for (const k of bt.keys())
    if (!at.has(k)) changes.push({ field: toolLabel(k), before: "on", after: "(off)" });
  type TR = { code_interpreter?: { file_ids?: string[] }; file_search?: { vector_store_ids?: string[] } };
  const btr = (before.tool_resources ?? {}) as TR;
  const atr = (after.tool_resources ?? {}) as TR;
  if (!same(btr.code_interpreter?.file_ids ?? [], atr.code_interpreter?.file_ids ?? []))
    changes.push({
      field: "Code interpreter files",
      before: show(btr.code_interpreter?.file_ids ?? []),
      after: show(atr.code_interpreter?.file_ids ?? []),
    });
  if (!same(btr.file_search?.vector_store_ids ?? [], atr.file_search?.vector_store_ids ?? []))
    changes.push({
      field: "Vector store",
      before: show(btr.file_search?.vector_store_ids ?? []),
      after: show(atr.file_search?.vector_store_ids ?? []),
    });
  return changes;
}
