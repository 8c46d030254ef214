import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "ghost" | "danger";

/**
 * Disabled is the same flat grey in every variant and both themes: a tinted disabled fill (the old
 * indigo-300) read as the more active button in the dark palette, where the scale is mirrored. The
 * grey keeps its text above 4.5:1 (components/ui/button.test.ts measures every state).
 */
const DISABLED =
  "disabled:border-slate-200 disabled:bg-slate-100 disabled:text-slate-600 disabled:hover:bg-slate-100";

export const BUTTON_VARIANTS: Record<Variant, string> = {
  primary: `bg-indigo-600 text-white hover:bg-indigo-700 ${DISABLED}`,
  secondary: `border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 ${DISABLED}`,
  ghost: `text-slate-700 hover:bg-slate-100 ${DISABLED}`,
  danger: `border border-red-300 bg-white text-red-700 hover:bg-red-50 ${DISABLED}`,
};

export function Button({
  variant = "secondary",
  className = "",
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      type={type}
      className={`inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed ${BUTTON_VARIANTS[variant]} ${className}`}
      {...props}
    />
  );
}
