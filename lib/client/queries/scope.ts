import type { AzureOpenAI } from "openai";
import type { ConnectionRef } from "../sdk";

/**
 * The SDK client and the connection it talks to. Every query key carries the connection's name and
 * api-version: both shape what comes back (v1 and v2 bodies differ), so no view reads another's data.
 */
export interface ClientScope {
  client: AzureOpenAI;
  connection: ConnectionRef;
}

/** What a key names while there is no connection yet (the query itself waits on skipToken). */
export const NO_CONNECTION: ConnectionRef = { name: "", apiVersion: "" };
