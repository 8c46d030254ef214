import type { Core } from "../core";
import { errors } from "../errors";
import { ID_PREFIX, newId, nowSeconds } from "../ids";
import { json, paginate, readJson } from "../http";
import type { Generation } from "../model/types";
import type { MessageRec, ThreadRec } from "../records";
import * as render from "../render";
import { rejectUnknown, type Route } from "../services";
import * as v from "../validate";

const MESSAGE_FIELDS: Record<Generation, string[]> = {
  v1: ["role", "content", "file_ids", "metadata"],
  v2: ["role", "content", "attachments", "metadata"],
};

/** Creates a thread from a create-thread body (also the `thread` of create-thread-and-run). */
export function createThread(
  core: Core,
  body: Record<string, unknown>,
  g: Generation,
  param = "",
): ThreadRec {
  rejectUnknown(
    body,
    g === "v1" ? ["messages", "metadata"] : ["messages", "tool_resources", "metadata"],
    param,
  );
  const p = (k: string) => (param ? `${param}.${k}` : k);
  const rawMessages = body.messages ?? [];
  if (!Array.isArray(rawMessages))
    throw errors.invalid(`Invalid type for '${p("messages")}': expected an array.`, p("messages"));
  const parsed = rawMessages.map((m: unknown, i) => {
    const mp = `${p("messages")}[${i}]`;
    if (!m || typeof m !== "object")
      throw errors.invalid(`Invalid type for '${mp}': expected an object.`, mp);
    rejectUnknown(m as Record<string, unknown>, MESSAGE_FIELDS[g], mp);
    return core.parseMessage(m as Record<string, unknown>, g, mp);
  });
  const metadata = v.metadata(body, p("metadata")) ?? {};
  const tr = g === "v2" ? core.parseToolResources(body, true, true) : undefined;
  const thread: ThreadRec = {
    id: newId(ID_PREFIX.thread),
    object: "thread",
    created_at: nowSeconds(),
    _seq: core.store.nextSeq(),
    metadata,
    tool_resources: tr ?? {},
  };
  core.store.put("thread", thread);
  for (const m of parsed) core.addMessage(thread, m);
  return thread;
}

function deleteThread(core: Core, thread: ThreadRec): void {
  for (const kind of ["message", "run", "step"] as const) {
    for (const rec of core.store.all(kind)) if (rec.thread_id === thread.id) core.store.delete(kind, rec.id);
  }
  core.store.delete("thread", thread.id);
  // The thread's code-interpreter session (its process and /mnt/data) ends with it.
  void core.sandbox?.closeSession(thread.id).catch(() => {});
}

function messageFile(m: MessageRec, fileId: string) {
  return { id: fileId, object: "thread.message.file", created_at: m.created_at, message_id: m.id };
}

export const threadRoutes: Route[] = [
  {
    method: "GET",
    path: "/threads",
    handler: ({ core }, ctx) =>
      json(paginate(core.store.all("thread"), ctx.url, (t) => render.thread(t, ctx.generation))),
  },
  {
    method: "POST",
    path: "/threads",
    async handler({ core }, ctx) {
      const body = await readJson(ctx);
      return json(render.thread(createThread(core, body, ctx.generation), ctx.generation));
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id",
    handler: ({ core }, ctx) => json(render.thread(core.thread(ctx.params.thread_id!), ctx.generation)),
  },
  {
    method: "POST",
    path: "/threads/:thread_id",
    async handler({ core }, ctx) {
      const g = ctx.generation;
      const t = core.thread(ctx.params.thread_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, g === "v1" ? ["metadata"] : ["metadata", "tool_resources"]);
      const md = v.metadata(body);
      const tr = g === "v2" ? core.parseToolResources(body, false, true) : undefined;
      const next: ThreadRec = {
        ...t,
        ...(md ? { metadata: md } : {}),
        ...(tr ? { tool_resources: { ...t.tool_resources, ...tr } } : {}),
      };
      core.store.put("thread", next);
      return json(render.thread(next, g));
    },
  },
  {
    method: "DELETE",
    path: "/threads/:thread_id",
    handler({ core, runner }, ctx) {
      const t = core.thread(ctx.params.thread_id!);
      const active = core.activeRun(t.id);
      if (active) runner.cancel(active);
      deleteThread(core, t);
      return json({ id: t.id, object: "thread.deleted", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/messages",
    handler({ core }, ctx) {
      const t = core.thread(ctx.params.thread_id!);
      const runId = ctx.generation === "v2" ? ctx.url.searchParams.get("run_id") : null;
      const items = core.store
        .all("message")
        .filter((m) => m.thread_id === t.id && (!runId || m.run_id === runId));
      return json(paginate(items, ctx.url, (m) => render.message(m, ctx.generation)));
    },
  },
  {
    method: "POST",
    path: "/threads/:thread_id/messages",
    async handler({ core }, ctx) {
      const t = core.thread(ctx.params.thread_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, MESSAGE_FIELDS[ctx.generation]);
      const input = core.parseMessage(body, ctx.generation);
      core.assertThreadUnlocked(t.id, "messages");
      return json(render.message(core.addMessage(t, input), ctx.generation));
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/messages/:message_id",
    handler: ({ core }, ctx) =>
      json(render.message(core.message(ctx.params.thread_id!, ctx.params.message_id!), ctx.generation)),
  },
  {
    method: "POST",
    path: "/threads/:thread_id/messages/:message_id",
    async handler({ core }, ctx) {
      const m = core.message(ctx.params.thread_id!, ctx.params.message_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, ["metadata"]);
      const md = v.metadata(body);
      if (md) {
        m.metadata = md;
        core.store.put("message", m);
      }
      return json(render.message(m, ctx.generation));
    },
  },
  {
    method: "DELETE",
    path: "/threads/:thread_id/messages/:message_id",
    only: "v2",
    handler({ core }, ctx) {
      const m = core.message(ctx.params.thread_id!, ctx.params.message_id!);
      core.store.delete("message", m.id);
      return json({ id: m.id, object: "thread.message.deleted", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/messages/:message_id/files",
    only: "v1",
    handler({ core }, ctx) {
      const m = core.message(ctx.params.thread_id!, ctx.params.message_id!);
      return json(
        paginate(
          m.attachments.map((a, i) => ({ id: a.file_id, _seq: i })),
          ctx.url,
          (x) => messageFile(m, x.id),
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/messages/:message_id/files/:file_id",
    only: "v1",
    handler({ core }, ctx) {
      const m = core.message(ctx.params.thread_id!, ctx.params.message_id!);
      const fileId = ctx.params.file_id!;
      if (!m.attachments.some((a) => a.file_id === fileId)) throw errors.notFound("file", fileId);
      return json(messageFile(m, fileId));
    },
  },
];
