import type { Core, ParsedMessage } from "../core";
import { errors } from "../errors";
import { ID_PREFIX, newId, nowSeconds } from "../ids";
import { json, listPage, pageQuery, paginate, readJson } from "../http";
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
export async function createThread(
  core: Core,
  body: Record<string, unknown>,
  g: Generation,
  param = "",
): Promise<ThreadRec> {
  rejectUnknown(
    body,
    g === "v1" ? ["messages", "metadata"] : ["messages", "tool_resources", "metadata"],
    param,
  );
  const p = (k: string) => (param ? `${param}.${k}` : k);
  const rawMessages = body.messages ?? [];
  if (!Array.isArray(rawMessages))
    throw errors.invalid(`Invalid type for '${p("messages")}': expected an array.`, p("messages"));
  const parsed: ParsedMessage[] = [];
  for (const [i, m] of (rawMessages as unknown[]).entries()) {
    const mp = `${p("messages")}[${i}]`;
    if (!m || typeof m !== "object")
      throw errors.invalid(`Invalid type for '${mp}': expected an object.`, mp);
    rejectUnknown(m as Record<string, unknown>, MESSAGE_FIELDS[g], mp);
    parsed.push(await core.parseMessage(m as Record<string, unknown>, g, mp));
  }
  const metadata = v.metadata(body, p("metadata")) ?? {};
  return core.store.transaction(async () => {
    const tr = g === "v2" ? await core.parseToolResources(body, true, true) : undefined;
    const thread: ThreadRec = {
      id: newId(ID_PREFIX.thread),
      object: "thread",
      created_at: nowSeconds(),
      _seq: await core.store.nextSeq(),
      metadata,
      tool_resources: tr ?? {},
    };
    await core.store.put("thread", thread);
    for (const m of parsed) await core.addMessage(thread, m);
    return thread;
  });
}

async function deleteThread(core: Core, thread: ThreadRec): Promise<void> {
  await core.store.transaction(async () => {
    // Runs first, as a run's end locks its run before its messages and steps (no deadlock between them).
    for (const kind of ["run", "message", "step"] as const)
      await core.store.deleteWhere(kind, { eq: { thread_id: thread.id } });
    await core.store.delete("thread", thread.id);
  });
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
    handler: async ({ core }, ctx) =>
      json(
        await listPage(
          () => core.store.page("thread", {}, pageQuery(ctx.url)),
          (t) => render.thread(t, ctx.generation),
        ),
      ),
  },
  {
    method: "POST",
    path: "/threads",
    async handler({ core }, ctx) {
      const body = await readJson(ctx);
      return json(render.thread(await createThread(core, body, ctx.generation), ctx.generation));
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id",
    handler: async ({ core }, ctx) =>
      json(render.thread(await core.thread(ctx.params.thread_id!), ctx.generation)),
  },
  {
    method: "POST",
    path: "/threads/:thread_id",
    async handler({ core }, ctx) {
      const g = ctx.generation;
      await core.thread(ctx.params.thread_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, g === "v1" ? ["metadata"] : ["metadata", "tool_resources"]);
      const md = v.metadata(body);
      const next = await core.store.transaction(async () => {
        const tr = g === "v2" ? await core.parseToolResources(body, false, true) : undefined;
        const t = await core.lockThread(ctx.params.thread_id!);
        const next: ThreadRec = {
          ...t,
          ...(md ? { metadata: md } : {}),
          ...(tr ? { tool_resources: { ...t.tool_resources, ...tr } } : {}),
        };
        await core.store.put("thread", next);
        return next;
      });
      return json(render.thread(next, g));
    },
  },
  {
    method: "DELETE",
    path: "/threads/:thread_id",
    async handler({ core, runner }, ctx) {
      const t = await core.thread(ctx.params.thread_id!);
      const active = await core.activeRun(t.id);
      if (active) await runner.cancel(active);
      await deleteThread(core, t);
      return json({ id: t.id, object: "thread.deleted", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/messages",
    async handler({ core }, ctx) {
      const t = await core.thread(ctx.params.thread_id!);
      const runId = ctx.generation === "v2" ? ctx.url.searchParams.get("run_id") : null;
      const filter = { eq: { thread_id: t.id, ...(runId ? { run_id: runId } : {}) } };
      return json(
        await listPage(
          () => core.store.page("message", filter, pageQuery(ctx.url)),
          (m) => render.message(m, ctx.generation),
        ),
      );
    },
  },
  {
    method: "POST",
    path: "/threads/:thread_id/messages",
    async handler({ core }, ctx) {
      await core.thread(ctx.params.thread_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, MESSAGE_FIELDS[ctx.generation]);
      const input = await core.parseMessage(body, ctx.generation);
      const message = await core.store.transaction(async () => {
        const t = await core.lockThread(ctx.params.thread_id!);
        await core.assertThreadUnlocked(t.id, "messages");
        return core.addMessage(t, input);
      });
      return json(render.message(message, ctx.generation));
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/messages/:message_id",
    handler: async ({ core }, ctx) =>
      json(render.message(await core.message(ctx.params.thread_id!, ctx.params.message_id!), ctx.generation)),
  },
  {
    method: "POST",
    path: "/threads/:thread_id/messages/:message_id",
    async handler({ core }, ctx) {
      await core.message(ctx.params.thread_id!, ctx.params.message_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, ["metadata"]);
      const md = v.metadata(body);
      const m = await core.store.transaction(async () => {
        const m = await core.message(ctx.params.thread_id!, ctx.params.message_id!);
        if (md) {
          m.metadata = md;
          await core.store.put("message", m);
        }
        return m;
      });
      return json(render.message(m, ctx.generation));
    },
  },
  {
    method: "DELETE",
    path: "/threads/:thread_id/messages/:message_id",
    only: "v2",
    async handler({ core }, ctx) {
      const m = await core.message(ctx.params.thread_id!, ctx.params.message_id!);
      await core.store.delete("message", m.id);
      return json({ id: m.id, object: "thread.message.deleted", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/threads/:thread_id/messages/:message_id/files",
    only: "v1",
    async handler({ core }, ctx) {
      const m = await core.message(ctx.params.thread_id!, ctx.params.message_id!);
      return json(
        await paginate(
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
    async handler({ core }, ctx) {
      const m = await core.message(ctx.params.thread_id!, ctx.params.message_id!);
      const fileId = ctx.params.file_id!;
      if (!m.attachments.some((a) => a.file_id === fileId)) throw errors.notFound("file", fileId);
      return json(messageFile(m, fileId));
    },
  },
];
