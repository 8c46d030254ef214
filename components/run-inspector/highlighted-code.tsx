"use client";

import { useEffect, useRef, useState } from "react";

type Highlighter = (code: string, language: string) => string;

let highlighter: Promise<Highlighter> | null = null;

/** highlight.js core with the two languages the inspector shows, loaded the first time code is shown. */
function loadHighlighter(): Promise<Highlighter> {
  highlighter ??= Promise.all([
    import("highlight.js/lib/core"),
    import("highlight.js/lib/languages/python"),
    import("highlight.js/lib/languages/json"),
  ]).then(([core, python, json]) => {
    const hljs = core.default;
    hljs.registerLanguage("python", python.default);
    hljs.registerLanguage("json", json.default);
    return (code, language) => hljs.highlight(code, { language, ignoreIllegals: true }).value;
  });
  return highlighter;
}

/**
 * A block of code, highlighted once highlight.js has loaded (plain text until then). Focusable so
 * keyboard users can scroll long lines; Copy copies the plain text.
 */
export function HighlightedCode({
  code,
  language,
  label,
}: {
  code: string;
  language: "python" | "json";
  label: string;
}) {
  const [html, setHtml] = useState<{ code: string; html: string } | null>(null);
  useEffect(() => {
    let live = true;
    void loadHighlighter().then((highlight) => {
      // highlight.js escapes the source: the result is safe to set as HTML.
      if (live) setHtml({ code, html: highlight(code, language) });
    });
    return () => {
      live = false;
    };
  }, [code, language]);
  const current = html?.code === code ? html.html : null;
  return (
    <div className="relative">
      <pre
        tabIndex={0}
        aria-label={label}
        className="max-h-72 overflow-auto rounded bg-[#0f172a] p-2 pr-14 font-mono text-xs leading-relaxed text-[#e2e8f0] focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {current !== null ? (
          <code className={`hljs language-${language}`} dangerouslySetInnerHTML={{ __html: current }} />
        ) : (
          <code>{code}</code>
        )}
      </pre>
      <CopyButton text={code} label={`Copy ${label.toLowerCase()}`} className="absolute top-1 right-1" />
    </div>
  );
}

export function CopyButton({
  text,
  label,
  className = "",
}: {
  text: string;
  label: string;
  className?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return (
    <button
      type="button"
      aria-label={label}
      onClick={() => {
        const done = (s: "copied" | "failed") => {
          setState(s);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => setState("idle"), 1500);
        };
        if (!navigator.clipboard) return done("failed");
        navigator.clipboard.writeText(text).then(
          () => done("copied"),
          () => done("failed"),
        );
      }}
      className={`rounded border border-slate-400 bg-white px-1.5 py-0.5 text-xs text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 ${className}`}
    >
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
      </span>
    </button>
  );
}
