/**
 * Splits a code-interpreter call's logs into what the code printed and the error that ended it, so
 * the error reads as one. The engine's sandbox (lib/engine/sandbox/execute.ts) appends a Python
 * traceback, `Execution stopped: …` (timeout, resource limit, cancel) or `Sandbox unavailable: …`
 * to the logs; hosted code interpreter and Azure sessions print IPython's traceback, whose header
 * line is `NameError    Traceback (most recent call last)` after a row of dashes.
 */

export interface CodeLogs {
  /** What the code printed before the error (the whole logs when there is none). */
  output: string;
  error: {
    /** One line: `ZeroDivisionError: division by zero`, `Execution stopped: …`. */
    title: string;
    /** The traceback or message as printed. */
    text: string;
  } | null;
}

const STOPPED = /^(Execution stopped|Sandbox unavailable): .*$/m;
const TRACEBACK_START = [
  /^Traceback \(most recent call last\):$/m,
  // IPython: a row of dashes, then `Name   Traceback (most recent call last)`.
  /^-{20,}\n.*Traceback \(most recent call last\)$/m,
  /^\S.*Traceback \(most recent call last\)$/m,
  // A SyntaxError has no frames: Python prints the cell's line and the caret only.
  /^ {2}File "<cell \d+>", line \d+\n(?:.*\n){0,3}?\w*(?:Error|Exception)\b/m,
];
/** `ValueError: bad`, `json.decoder.JSONDecodeError: …`, `KeyboardInterrupt` on the last lines. */
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)\b)(?::\s?(.*))?$/;

export function splitCodeLogs(logs: string): CodeLogs {
  const stopped = STOPPED.exec(logs);
  let start = stopped?.index ?? -1;
  let traceback = false;
  for (const pattern of TRACEBACK_START) {
    const m = pattern.exec(logs);
    if (m && (start === -1 || m.index < start)) {
      start = m.index;
      traceback = true;
    }
  }
  if (start === -1) return { output: logs, error: null };
  const text = logs.slice(start).trimEnd();
  let title = stopped && !traceback ? stopped[0] : "";
  if (traceback) {
    const lines = text.split("\n").map((l) => l.trimEnd());
    for (let i = lines.length - 1; i >= 0 && !title; i--) {
      const m = EXCEPTION_LINE.exec(lines[i]!);
      if (m) title = m[2] ? `${m[1]}: ${m[2]}` : m[1]!;
    }
    title ||= "The code raised an exception";
  }
  return { output: logs.slice(0, start).replace(/\n+$/, ""), error: { title, text } };
}
