import "server-only";
import type { TokenCredential } from "@azure/identity";

/** The scopes the playground asks Microsoft Entra ID for. */
export const ENTRA_SCOPES = {
  /** Azure OpenAI (api surface and chat completions). */
  cognitiveServices: "https://cognitiveservices.azure.com/.default",
  /** Foundry Agent Service (classic agents). */
  foundry: "https://ai.azure.com/.default",
  /** Azure Container Apps dynamic sessions (the engine's azure-sessions code sandbox). */
  dynamicSessions: "https://dynamicsessions.io/.default",
} as const;

const holder = globalThis as typeof globalThis & {
  __playgroundEntraCredential?: TokenCredential;
  __playgroundEntraTokens?: Map<string, Promise<AccessTokenLike>>;
};

interface AccessTokenLike {
  token: string;
  expiresOnTimestamp: number;
}

/** Tokens are reused until 5 minutes before they expire (the Azure CLI credential caches nothing). */
const REFRESH_MARGIN_MS = 5 * 60_000;

function tokens(): Map<string, Promise<AccessTokenLike>> {
  holder.__playgroundEntraTokens ??= new Map();
  return holder.__playgroundEntraTokens;
}

/**
 * The server's Entra credential: DefaultAzureCredential (managed identity on Azure, environment
 * variables AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET, the Azure CLI locally), loaded
 * on first use so that servers without Entra connections never import @azure/identity.
 */
async function credential(): Promise<TokenCredential> {
  if (!holder.__playgroundEntraCredential) {
    const { DefaultAzureCredential } = await import("@azure/identity");
    holder.__playgroundEntraCredential = new DefaultAzureCredential();
  }
  return holder.__playgroundEntraCredential;
}

/**
 * A bearer token for `scope`. The credential caches and refreshes tokens itself. Throws an Error
 * whose message says how to grant access; the token itself is never logged.
 */
export async function getEntraToken(scope: string): Promise<string> {
  const cache = tokens();
  const cached = cache.get(scope);
  if (cached) {
    const token = await cached.catch(() => null);
    if (token && token.expiresOnTimestamp - Date.now() > REFRESH_MARGIN_MS) return token.token;
    if (cache.get(scope) === cached) cache.delete(scope);
    else return getEntraToken(scope);
  }
  const pending = fetchToken(scope);
  cache.set(scope, pending);
  try {
    return (await pending).token;
  } catch (err) {
    if (cache.get(scope) === pending) cache.delete(scope);
    throw err;
  }
}

async function fetchToken(scope: string): Promise<AccessTokenLike> {
  const cred = await credential();
  const token = await cred.getToken(scope).catch((err: unknown) => {
    throw new Error(
      `Microsoft Entra ID gave no token for ${scope}: ${err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err)}. ` +
        "On Azure, enable the app's managed identity and give it the role the resource needs; locally, run `az login`.",
    );
  });
  if (!token) throw new Error(`Microsoft Entra ID gave no token for ${scope}.`);
  return { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
}

/** Test seam: a fake credential (or `undefined` to go back to DefaultAzureCredential). */
export function setEntraCredentialForTests(fake: TokenCredential | undefined): void {
  holder.__playgroundEntraCredential = fake;
  holder.__playgroundEntraTokens = undefined;
}
