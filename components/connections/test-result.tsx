import { ErrorAlert } from "@/components/ui/error-alert";
import type { Diagnosis } from "@/lib/client/connections";

/** The diagnosis of a Test connection, announced when it arrives. */
function DiagnosisView({ diagnosis }: { diagnosis: Diagnosis }) {
  const tone = diagnosis.ok
    ? "border-emerald-300 bg-emerald-50 text-emerald-950"
    : "border-amber-300 bg-amber-50 text-amber-950";
  const facts = [
    diagnosis.status !== null ? `HTTP ${diagnosis.status}` : null,
    diagnosis.code ? `code ${diagnosis.code}` : null,
    diagnosis.apiVersion ? `api-version ${diagnosis.apiVersion}` : null,
  ].filter(Boolean);
  return (
    <div className={`mt-2 rounded-md border p-3 text-sm ${tone}`}>
      <p className="font-semibold">
        <span aria-hidden="true">{diagnosis.ok ? "✓ " : "✗ "}</span>
        {diagnosis.title}
      </p>
      <p className="mt-1">{diagnosis.detail}</p>
      {facts.length > 0 ? <p className="mt-1 text-xs opacity-90">{facts.join(" · ")}</p> : null}
    </div>
  );
}

/** A test under way, its diagnosis, or why it could not run; announced as it changes. */
export function TestResult({
  pending,
  diagnosis,
  error,
  onRetry,
}: {
  pending: boolean;
  diagnosis: Diagnosis | undefined;
  error: unknown;
  onRetry: () => void;
}) {
  return (
    <div role="status" aria-live="polite">
      {pending ? <p className="mt-2 text-sm text-slate-600">Testing…</p> : null}
      {!pending && diagnosis ? <DiagnosisView diagnosis={diagnosis} /> : null}
      {!pending && error ? (
        <div className="mt-2">
          <ErrorAlert title="Could not run the test" error={error} onRetry={onRetry} />
        </div>
      ) : null}
    </div>
  );
}
