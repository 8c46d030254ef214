import type { AzureOpenAI } from "openai";
import type { ConnectionRef } from "../sdk";

/** The SDK client and the connection it talks to; every query key carries the connection name. */
export interface ClientScope {
  client: AzureOpenAI;
  connection: ConnectionRef;
}
