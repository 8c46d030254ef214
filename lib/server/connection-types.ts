/**
 * What a connection is, as the proxy uses it: shared by connections.ts (configured connections) and
 * user-connections.ts (typed in by a person), so neither imports the other for its types.
 */
import type { ConnectionConfig } from "./env/connections-env";
import type { ConnectionKind } from "./proxy/allowlist";

/** The address a user connection's host resolved to when it was checked; the socket goes there. */
export interface PinnedAddress {
  address: string;
  family: 4 | 6;
}

export type Auth =
  | { type: "none" }
  | { type: "api-key"; key: string }
  | { type: "entra"; scope: string }
  | { type: "bearer"; key: string | null };

interface ConnectionBase {
  name: string;
  kind: ConnectionKind;
  label: string;
  description: string;
  /** The api-version used when a request carries none, or one this connection does not take. */
  apiVersion: string;
  /** The api-versions offered to the UI. */
  apiVersions: string[];
  /** Deployment (model) names to suggest; the protocol has no endpoint that lists them. */
  deployments: string[];
  /** GET /threads exists (local engine, Foundry). */
  listThreads: boolean;
  supportsApiVersion(version: string): boolean;
}

export interface LocalConnection extends ConnectionBase {
  kind: "local";
  config: Extract<ConnectionConfig, { kind: "local" }>;
}

export interface RemoteConnection extends ConnectionBase {
  kind: "azure-openai" | "foundry-agents" | "openai-compatible";
  /** Paths hang off this: `{baseURL}/{path}` (Azure: `{endpoint}/openai`). */
  baseURL: string;
  host: string;
  auth: Auth;
  /** Whether `api-version` travels on the query (not for OpenAI-compatible servers). */
  sendsApiVersion: boolean;
  /** Headers the upstream needs on every request. */
  headers: Record<string, string>;
  /** Foundry lists lack `object` and `first_id` (and `/files` lacks `has_more`): fill them in. */
  normalizeLists: boolean;
  /** Typed in by the user: the address checked when the connection was made, used for the socket. */
  pinned: PinnedAddress | null;
  /** From sending the request to the response headers; absent → the server-wide default. */
  responseTimeoutMs?: number;
  /** Longest silence of a streaming response before the proxy ends it; absent → the server-wide default. */
  streamIdleTimeoutMs?: number;
}

export type Connection = LocalConnection | RemoteConnection;

export type AuthKind = Auth["type"];
