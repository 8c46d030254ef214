import type { CodeSandboxInfo } from "@/lib/client/connections";

/**
 * What runs code on this connection, under the Code interpreter checkbox: the local engine's
 * sandbox ("Python 3.11, isolated (bubblewrap), no network", "Azure Container Apps session pool …")
 * or why none runs. Nothing for remote connections: their service runs the code.
 */
export function CodeSandboxNote({
  id,
  sandbox,
  engineModel,
  checked,
}: {
  id: string;
  sandbox: CodeSandboxInfo | null | undefined;
  engineModel: "scripted" | "chat-completions" | null | undefined;
  checked: boolean;
}) {
  if (!sandbox) return null;
  if (sandbox.available) {
    const unisolated = /not isolated/i.test(sandbox.description);
    return (
      <p
        id={id}
        className={
          unisolated
            ? "rounded-md bg-amber-50 p-2 text-xs text-amber-900 ring-1 ring-amber-300 ring-inset"
            : "text-xs text-slate-600"
        }
      >
        Code runs in: <span className="font-medium text-slate-800">{sandbox.description}</span>
      </p>
    );
  }
  if (!checked)
    return (
      <p id={id} className="text-xs text-slate-600">
        No code sandbox on this connection ({sandbox.description}).
      </p>
    );
  return (
    <p
      id={id}
      role="note"
      className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-300 ring-inset"
    >
      {engineModel === "chat-completions" ? (
        <>
          No code runs on this connection ({sandbox.description}): its model cannot run code, runs go on
          without code interpreter, and each run&apos;s steps say so. Nothing is made up in its place.
        </>
      ) : (
        <>
          No code runs on this connection ({sandbox.description}): the scripted model shows the code it would
          run and draws its charts itself, and each answer says that no Python ran.
        </>
      )}
    </p>
  );
}
