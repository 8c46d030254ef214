/**
 * Foundry classic agents' surface (api-version `v1`, `2025-05-01`, `2025-05-15-preview`): the Azure
 * v2 protocol with one visible difference on the wire, the list envelope. Foundry's lists are
 * `{data, last_id, has_more}` (no `object`, no `first_id`) and `GET /files` is `{object: "list", data}`
 * with no cursor (Foundry's published OpenAPI, azure-ai-agents.json for `v1`); `@azure/ai-agents` pages on
 * `last_id` and `has_more` alone.
 */
import { json } from "./http";

interface AzureList {
  object: "list";
  data: unknown[];
  first_id?: string;
  last_id?: string;
  has_more?: boolean;
}

function isAzureList(body: unknown): body is AzureList {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as { object?: unknown }).object === "list" &&
    Array.isArray((body as { data?: unknown }).data)
  );
}

/** The Foundry envelope of one list body (`path` is relative to the API prefix). */
export function foundryList(path: string, list: AzureList): Record<string, unknown> {
  if (path === "/files") return { object: "list", data: list.data };
  return { data: list.data, last_id: list.last_id ?? "", has_more: list.has_more ?? false };
}

/** Re-shapes a successful list response for a Foundry api-version; anything else passes unchanged. */
export async function toFoundrySurface(method: string, path: string, response: Response): Promise<Response> {
  if (method !== "GET" || response.status !== 200) return response;
  if (!(response.headers.get("content-type") ?? "").includes("application/json")) return response;
  const body: unknown = await response.clone().json();
  if (!isAzureList(body)) return response;
  const headers = Object.fromEntries(response.headers);
  delete headers["content-length"];
  return json(foundryList(path, body), 200, headers);
}
