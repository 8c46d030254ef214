import { errors } from "../errors";
import { ID_PREFIX, newId, nowSeconds } from "../ids";
import { json, listPage, pageQuery, paginate, readJson } from "../http";
import { LIMITS } from "../limits";
import type { AssistantRec } from "../records";
import * as render from "../render";
import { syncRetrievalStore } from "../retrieval";
import { rejectUnknown, type Route } from "../services";
import * as v from "../validate";

const V1_FIELDS = ["model", "name", "description", "instructions", "tools", "file_ids", "metadata"];
const V2_FIELDS = [
  "model",
  "name",
  "description",
  "instructions",
  "tools",
  "tool_resources",
  "metadata",
  "temperature",
  "top_p",
  "response_format",
];

function assistantFile(a: AssistantRec, fileId: string) {
  return {
    id: fileId,
    object: "assistant.file",
    created_at: a._fileAddedAt[fileId] ?? a.created_at,
    assistant_id: a.id,
  };
}

export const assistantRoutes: Route[] = [
  {
    method: "GET",
    path: "/assistants",
    handler: async ({ core }, ctx) =>
      json(
        await listPage(
          () => core.store.page("assistant", {}, pageQuery(ctx.url)),
          (a) => render.assistant(a, ctx.generation),
        ),
      ),
  },
  {
    method: "POST",
    path: "/assistants",
    async handler({ core }, ctx) {
      const g = ctx.generation;
      const body = await readJson(ctx);
      rejectUnknown(body, g === "v1" ? V1_FIELDS : V2_FIELDS);
      const now = nowSeconds();
      const fileIds =
        g === "v1" && body.file_ids !== undefined
          ? v.stringArray(body.file_ids, "file_ids", LIMITS.v1FileIdsPerAssistant)
          : [];
      for (const id of fileIds) await core.file(id, "file_ids");
      const name = v.optString(body, "name", LIMITS.nameLength) ?? null;
      const description = v.optString(body, "description", LIMITS.descriptionLength) ?? null;
      const model = v.reqString(body, "model");
      const instructions = v.optString(body, "instructions", LIMITS.instructionsLength[g]) ?? null;
      const tools = v.tools(body, "tools", LIMITS.toolsPerAssistant, g) ?? [];
      const metadata = v.metadata(body) ?? {};
      const temperature =
        v.optNumber(body, "temperature", LIMITS.temperature.min, LIMITS.temperature.max) ?? 1;
      const topP = v.optNumber(body, "top_p", LIMITS.topP.min, LIMITS.topP.max) ?? 1;
      const responseFormat = v.responseFormat(body) ?? "auto";
      const a = await core.store.transaction(async () => {
        const tr = g === "v2" ? await core.parseToolResources(body, true, false) : undefined;
        const a: AssistantRec = {
          id: newId(ID_PREFIX.assistant),
          object: "assistant",
          created_at: now,
          _seq: await core.store.nextSeq(),
          name,
          description,
          model,
          instructions,
          tools,
          tool_resources: g === "v1" ? { code_interpreter: { file_ids: fileIds } } : (tr ?? {}),
          metadata,
          temperature,
          top_p: topP,
          response_format: responseFormat,
          _fileAddedAt: Object.fromEntries(fileIds.map((id) => [id, now])),
        };
        if (g === "v1") await syncRetrievalStore(core, a);
        await core.store.put("assistant", a);
        return a;
      });
      return json(render.assistant(a, g));
    },
  },
  {
    method: "GET",
    path: "/assistants/:assistant_id",
    handler: async ({ core }, ctx) =>
      json(render.assistant(await core.assistant(ctx.params.assistant_id!), ctx.generation)),
  },
  {
    method: "POST",
    path: "/assistants/:assistant_id",
    async handler({ core }, ctx) {
      const g = ctx.generation;
      await core.assistant(ctx.params.assistant_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, g === "v1" ? V1_FIELDS : V2_FIELDS);
      const next = await core.store.transaction(async () => {
        const a = await core.lockAssistant(ctx.params.assistant_id!);
        const next: AssistantRec = { ...a };
        if (body.model !== undefined) next.model = v.reqString(body, "model");
        const name = v.optString(body, "name", LIMITS.nameLength);
        if (name !== undefined) next.name = name;
        const description = v.optString(body, "description", LIMITS.descriptionLength);
        if (description !== undefined) next.description = description;
        const instructions = v.optString(body, "instructions", LIMITS.instructionsLength[g]);
        if (instructions !== undefined) next.instructions = instructions;
        const tools = v.tools(body, "tools", LIMITS.toolsPerAssistant, g);
        if (tools) next.tools = tools;
        const md = v.metadata(body);
        if (md) next.metadata = md;
        const temperature = v.optNumber(body, "temperature", LIMITS.temperature.min, LIMITS.temperature.max);
        if (temperature !== undefined) next.temperature = temperature;
        const topP = v.optNumber(body, "top_p", LIMITS.topP.min, LIMITS.topP.max);
        if (topP !== undefined) next.top_p = topP;
        const rf = v.responseFormat(body);
        if (rf !== undefined) next.response_format = rf;
        if (g === "v1" && body.file_ids !== undefined) {
          const ids = v.stringArray(body.file_ids, "file_ids", LIMITS.v1FileIdsPerAssistant);
          for (const id of ids) await core.file(id, "file_ids");
          next.tool_resources = { ...a.tool_resources, code_interpreter: { file_ids: ids } };
          const now = nowSeconds();
          next._fileAddedAt = Object.fromEntries(ids.map((id) => [id, a._fileAddedAt[id] ?? now]));
        }
        if (g === "v2") {
          const tr = await core.parseToolResources(body, false, false);
          if (tr) next.tool_resources = { ...a.tool_resources, ...tr };
        }
        if (g === "v1") await syncRetrievalStore(core, next);
        await core.store.put("assistant", next);
        return next;
      });
      return json(render.assistant(next, g));
    },
  },
  {
    method: "DELETE",
    path: "/assistants/:assistant_id",
    async handler({ core }, ctx) {
      const a = await core.assistant(ctx.params.assistant_id!);
      await core.store.delete("assistant", a.id);
      return json({ id: a.id, object: "assistant.deleted", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/assistants/:assistant_id/files",
    only: "v1",
    async handler({ core }, ctx) {
      const a = await core.assistant(ctx.params.assistant_id!);
      const ids = a.tool_resources.code_interpreter?.file_ids ?? [];
      return json(
        await paginate(
          ids.map((id, i) => ({ id, _seq: i })),
          ctx.url,
          (x) => assistantFile(a, x.id),
        ),
      );
    },
  },
  {
    method: "POST",
    path: "/assistants/:assistant_id/files",
    only: "v1",
    async handler({ core }, ctx) {
      await core.assistant(ctx.params.assistant_id!);
      const body = await readJson(ctx);
      rejectUnknown(body, ["file_id"]);
      const fileId = v.reqString(body, "file_id");
      await core.file(fileId, "file_id");
      const a = await core.store.transaction(async () => {
        const a = await core.lockAssistant(ctx.params.assistant_id!);
        const ids = a.tool_resources.code_interpreter?.file_ids ?? [];
        if (!ids.includes(fileId)) {
          if (ids.length >= LIMITS.v1FileIdsPerAssistant)
            throw errors.invalid(
              `Assistant ${a.id} already has the maximum of ${LIMITS.v1FileIdsPerAssistant} files.`,
              "file_id",
            );
          a.tool_resources = { ...a.tool_resources, code_interpreter: { file_ids: [...ids, fileId] } };
          a._fileAddedAt[fileId] = nowSeconds();
          await syncRetrievalStore(core, a);
          await core.store.put("assistant", a);
        }
        return a;
      });
      return json(assistantFile(a, fileId));
    },
  },
  {
    method: "GET",
    path: "/assistants/:assistant_id/files/:file_id",
    only: "v1",
    async handler({ core }, ctx) {
      const a = await core.assistant(ctx.params.assistant_id!);
      const fileId = ctx.params.file_id!;
      if (!(a.tool_resources.code_interpreter?.file_ids ?? []).includes(fileId))
        throw errors.notFound("file", fileId);
      return json(assistantFile(a, fileId));
    },
  },
  {
    method: "DELETE",
    path: "/assistants/:assistant_id/files/:file_id",
    only: "v1",
    async handler({ core }, ctx) {
      const fileId = ctx.params.file_id!;
      await core.store.transaction(async () => {
        const a = await core.lockAssistant(ctx.params.assistant_id!);
        const ids = a.tool_resources.code_interpreter?.file_ids ?? [];
        if (!ids.includes(fileId)) throw errors.notFound("file", fileId);
        a.tool_resources = {
          ...a.tool_resources,
          code_interpreter: { file_ids: ids.filter((x) => x !== fileId) },
        };
        delete a._fileAddedAt[fileId];
        await syncRetrievalStore(core, a);
        await core.store.put("assistant", a);
      });
      return json({ id: fileId, object: "assistant.file.deleted", deleted: true });
    },
  },
];
