/**
 * A connection typed in by the user (when the server allows it): held in sessionStorage only — it
 * is gone when the tab closes — and sent to the proxy with each request that names it
 * (`x-playground-connection: user`). The request log records a request before these headers are
 * added (it wraps this fetch), so the key never shows there.
 */
import {
  AZURE_ASSISTANTS_API_VERSIONS,
  DEFAULT_API_VERSION,
  OPENAI_COMPATIBLE_API_VERSION,
} from "@/lib/protocol/api-versions";
import type { PlaygroundConnection } from "./connections";

export const USER_CONNECTION_NAME = "user";
const STORAGE_KEY = "playground-user-connection";

export type UserConnectionKind = "azure-openai" | "openai-compatible";

export interface UserConnectionSettings {
  kind: UserConnectionKind;
  /** https://myres.openai.azure.com, or an OpenAI-compatible base URL. */
  endpoint: string;
  apiKey: string;
}

let cached: UserConnectionSettings | null | undefined;
const listeners = new Set<() => void>();

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.sessionStorage;
  } catch {
    return null;
  }
}

function read(): UserConnectionSettings | null {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<UserConnectionSettings>;
    if (
      (v.kind === "azure-openai" || v.kind === "openai-compatible") &&
      typeof v.endpoint === "string" &&
      typeof v.apiKey === "string"
    )
      return { kind: v.kind, endpoint: v.endpoint, apiKey: v.apiKey };
  } catch {
    // a damaged entry is forgotten below
  }
  storage()?.removeItem(STORAGE_KEY);
  return null;
}

/** The user's connection for this tab (sessionStorage), as a small external store for React. */
export const userConnectionStore = {
  get(): UserConnectionSettings | null {
    if (cached === undefined) cached = read();
    return cached;
  },
  set(value: UserConnectionSettings | null): void {
    cached = value;
    if (value) storage()?.setItem(STORAGE_KEY, JSON.stringify(value));
    else storage()?.removeItem(STORAGE_KEY);
    for (const l of listeners) l();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** For server rendering: no session there. */
  getServerSnapshot(): UserConnectionSettings | null {
    return null;
  },
};

export function userConnectionHeaders(settings: UserConnectionSettings): Record<string, string> {
  return {
    "x-playground-user-kind": settings.kind,
    "x-playground-user-endpoint": settings.endpoint,
    "x-playground-user-key": settings.apiKey,
  };
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/** The user's connection as the header's switcher lists it. */
export function toPlaygroundConnection(settings: UserConnectionSettings): PlaygroundConnection {
  const host = hostOf(settings.endpoint);
  const azure = settings.kind === "azure-openai";
  return {
    name: USER_CONNECTION_NAME,
    kind: settings.kind,
    label: `Your connection — ${host}`,
    description: `${azure ? "Azure OpenAI" : "An OpenAI-compatible server"} at ${host}, with the key you entered (kept in this browser tab only).`,
    apiVersion: azure ? DEFAULT_API_VERSION : OPENAI_COMPATIBLE_API_VERSION,
    apiVersions: azure ? [...AZURE_ASSISTANTS_API_VERSIONS] : [OPENAI_COMPATIBLE_API_VERSION],
    deployments: [],
    default: false,
    host,
    auth: azure ? "api-key" : "bearer",
    listThreads: false,
    user: true,
  };
}

/**
 * Wraps the SDK's fetch: a request that names the user's connection carries its details as headers
 * (the server checks them on every request; nothing is stored there).
 */
export function withUserConnection(next: typeof fetch): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (headers.get("x-playground-connection") !== USER_CONNECTION_NAME) return next(input, init);
    const settings = userConnectionStore.get();
    if (!settings) return next(input, init);
    for (const [name, value] of Object.entries(userConnectionHeaders(settings))) headers.set(name, value);
    return next(input, { ...init, headers });
  };
}
