import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

const control =
  "block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-600 disabled:bg-slate-100";
const labelClass = "mb-1 block text-sm font-medium text-slate-800";

interface FieldProps {
  label: string;
  hint?: ReactNode;
  /** Shown beside the field (and announced with it) when its value is not accepted. */
  error?: string | null;
}

function ErrorText({ id, children }: { id: string; children?: ReactNode }) {
  return children ? (
    <p id={id} className="mt-1 text-xs text-red-800">
      {children}
    </p>
  ) : null;
}

function describedBy(fieldId: string, hint: ReactNode, error: string | null | undefined) {
  const ids = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  return children ? (
    <p id={id} className="mt-1 text-xs text-slate-600">
      {children}
    </p>
  ) : null;
}

export function TextField({
  label,
  hint,
  error,
  id,
  className = "",
  ...props
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div className={className}>
      <label htmlFor={fieldId} className={labelClass}>
        {label}
      </label>
      <input
        id={fieldId}
        className={control}
        aria-describedby={describedBy(fieldId, hint, error)}
        aria-invalid={error ? true : undefined}
        {...props}
      />
      <Hint id={`${fieldId}-hint`}>{hint}</Hint>
      <ErrorText id={`${fieldId}-error`}>{error}</ErrorText>
    </div>
  );
}

export function TextAreaField({
  label,
  hint,
  error,
  id,
  className = "",
  ...props
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div className={className}>
      <label htmlFor={fieldId} className={labelClass}>
        {label}
      </label>
      <textarea
        id={fieldId}
        className={`${control} resize-y`}
        aria-describedby={describedBy(fieldId, hint, error)}
        aria-invalid={error ? true : undefined}
        {...props}
      />
      <Hint id={`${fieldId}-hint`}>{hint}</Hint>
      <ErrorText id={`${fieldId}-error`}>{error}</ErrorText>
    </div>
  );
}

export function SelectField({
  label,
  hint,
  error,
  id,
  className = "",
  children,
  ...props
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div className={className}>
      <label htmlFor={fieldId} className={labelClass}>
        {label}
      </label>
      <select
        id={fieldId}
        className={control}
        aria-describedby={describedBy(fieldId, hint, error)}
        aria-invalid={error ? true : undefined}
        {...props}
      >
        {children}
      </select>
      <Hint id={`${fieldId}-hint`}>{hint}</Hint>
      <ErrorText id={`${fieldId}-error`}>{error}</ErrorText>
    </div>
  );
}

export function CheckboxField({
  label,
  hint,
  id,
  className = "",
  ...props
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div className={`flex items-start gap-2 ${className}`}>
      <input
        id={fieldId}
        type="checkbox"
        className="mt-0.5 size-4 rounded border-slate-400 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        aria-describedby={hint ? `${fieldId}-hint` : undefined}
        {...props}
      />
      <div>
        <label htmlFor={fieldId} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        <Hint id={`${fieldId}-hint`}>{hint}</Hint>
      </div>
    </div>
  );
}
