import { AzureOpenAI } from "openai";
import { withRequestLog } from "./request-log/record";
import { withUserConnection } from "./user-connections";

export interface ConnectionRef {
  name: string;
  apiVersion: string;
}

/** Header the proxy reads to pick the upstream connection. */
export const CONNECTION_HEADER = "x-playground-connection";
export const PROXY_PATH = "/api/openai";

/** Request options for every call that starts a run: an automatic retry could start a second run. */
export const RUN_START_OPTIONS = { maxRetries: 0 } as const;

export function createPlaygroundClient(
  connection: ConnectionRef,
  options: { origin?: string; fetch?: typeof fetch } = {},
): AzureOpenAI {
  const origin = options.origin ?? window.location.origin;
  return new AzureOpenAI({
    baseURL: `${origin}${PROXY_PATH}`,
    // A placeholder: the proxy injects the real credentials on the server.
    apiKey: "unused",
    apiVersion: connection.apiVersion,
    // Safe here: the only key this client holds is the placeholder above.
    dangerouslyAllowBrowser: true,
    defaultHeaders: { [CONNECTION_HEADER]: connection.name },
    // Every call is recorded for the request log (after secrets are stripped) and carries a
    // user connection's details when one is chosen.
    fetch: withRequestLog(
      withUserConnection(options.fetch ?? ((input, init) => globalThis.fetch(input, init))),
    ),
  });
}

const clients = new Map<string, AzureOpenAI>();

/** One SDK client per connection and api-version, created on first use in the browser. */
export function getPlaygroundClient(connection: ConnectionRef): AzureOpenAI {
  const key = `${connection.name}\n${connection.apiVersion}`;
  let client = clients.get(key);
  if (!client) {
    client = createPlaygroundClient(connection);
    clients.set(key, client);
  }
  return client;
}

/** Where an `image_file` (or any file) can be fetched through the proxy, for `<img src>`. */
export function fileContentUrl(fileId: string, connection: ConnectionRef): string {
  const query = new URLSearchParams({ "api-version": connection.apiVersion });
  return `${PROXY_PATH}/files/${encodeURIComponent(fileId)}/content?${query.toString()}`;
}
