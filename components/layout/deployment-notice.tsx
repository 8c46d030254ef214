"use client";

import { useDeployment } from "@/lib/client/deployment";

/**
 * Says in the header when the local engine runs as a demo that forgets (serverless hosts with
 * PLAYGROUND_LOCAL_ENGINE=demo): anything built on it is gone after the next cold start.
 */
export function DeploymentNotice({ connectionKind }: { connectionKind: string | undefined }) {
  const info = useDeployment();
  if (info.localEngine !== "demo" || connectionKind !== "local") return null;
  return (
    <p
      role="note"
      className="rounded-full bg-amber-50 px-2.5 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-300 ring-inset"
    >
      Demo engine: what you build here is forgotten when the server restarts — export a backup to keep it.
    </p>
  );
}
