/**
 * The scripted code interpreter: decides what chart or file a conversation asks for, writes the
 * matplotlib/pandas code a real code interpreter would run, and produces the same result itself
 * (the PNG via ./chart, the file bytes here). No Python is ever executed; logs are computed from
 * the same numbers the code would print.
 */
import type { ModelFile, ModelRunContext } from "../types";
import { chartTheme, renderChart, type ChartSpec, type LineSeries } from "./chart";
import {
  fileRequest,
  isChartRequest,
  isCodeRequest,
  isExplicitFileRequest,
  themeRequest,
  type FileFormat,
} from "./intents";
import { clip, numbersIn } from "./text";

export type FnName = "sine" | "cosine" | "exp" | "quadratic" | "log" | "damped";

export type ChartSubject =
  | { kind: "function"; fns: FnName[] }
  | { kind: "numbers"; bars: { label: string; value: number }[] }
  | { kind: "csv"; file: ModelFile }
  | { kind: "sample"; topic: string; bar: boolean };

export interface ChartRequest {
  subject: ChartSubject;
  dark: boolean;
  /**
   * A light chart after a dark one in this conversation: a sandbox's kernel keeps matplotlib's
   * style between executions, so the code must go back to the default style.
   */
  restoreLight?: boolean;
}

interface FnDef {
  label: string;
  title: string;
  noun: string;
  py: string;
  from: number;
  to: number;
  pyRange: string;
  f: (x: number) => number;
}

const FNS: Record<FnName, FnDef> = {
  sine: {
    label: "sin(x)",
    title: "Sine Wave",
    noun: "sine wave",
    py: "np.sin(x)",
    from: 0,
    to: 4 * Math.PI,
    pyRange: "0, 4 * np.pi",
    f: Math.sin,
  },
  cosine: {
    label: "cos(x)",
    title: "Cosine Wave",
    noun: "cosine wave",
    py: "np.cos(x)",
    from: 0,
    to: 4 * Math.PI,
    pyRange: "0, 4 * np.pi",
    f: Math.cos,
  },
  damped: {
    label: "exp(-x/5) sin(2x)",
    title: "Damped Sine Wave",
    noun: "damped sine wave",
    py: "np.exp(-x / 5) * np.sin(2 * x)",
    from: 0,
    to: 4 * Math.PI,
    pyRange: "0, 4 * np.pi",
    f: (x) => Math.exp(-x / 5) * Math.sin(2 * x),
  },
  exp: {
    label: "exp(x)",
    title: "Exponential Growth",
    noun: "exponential curve",
    py: "np.exp(x)",
    from: 0,
    to: 5,
    pyRange: "0, 5",
    f: Math.exp,
  },
  quadratic: {
    label: "x^2",
    title: "Quadratic Function",
    noun: "parabola",
    py: "x ** 2",
    from: -10,
    to: 10,
    pyRange: "-10, 10",
    f: (x) => x * x,
  },
  log: {
    label: "ln(x)",
    title: "Natural Logarithm",
    noun: "logarithm curve",
    py: "np.log(x)",
    from: 0.1,
    to: 10,
    pyRange: "0.1, 10",
    f: Math.log,
  },
};

const POINTS = 1000;

function functionsNamed(text: string): FnName[] {
  const t = text.toLowerCase();
  const found: [number, FnName][] = [];
  const add = (re: RegExp, fn: FnName) => {
    const m = re.exec(t);
    if (m) found.push([m.index, fn]);
  };
  add(/\bdamped\b/, "damped");
  if (!/\bdamped\b/.test(t)) add(/\bsin(e|us|ewave|e-wave|\(x\)|\b)/, "sine");
  add(/\bcos(ine|inus|\(x\)|\b)/, "cosine");
  add(/\bexp(onential|\(x\)|\b)|\bgrowth\b/, "exp");
  add(/\bquadratic\b|\bparabola\b|\bx\s*(\^|\*\*)\s*2\b|\bsquares?\b/, "quadratic");
  add(/\blog(arithm\w*|\(x\)|\b)|\bln\(x\)/, "log");
  return found.sort((a, b) => a[0] - b[0]).map(([, fn]) => fn);
}

/** "apples 3, pears 5" / "3, 7, 2" → bars, when the message carries at least two numbers. */
function numbersNamed(text: string): { label: string; value: number }[] | null {
  const pairs = [...text.matchAll(/([\p{L}][\p{L} ]{0,20}?)\s*[:=]?\s*(-?\d+(?:\.\d+)?)(?![\d.])/gu)];
  const stop =
    /^(of|and|the|a|with|for|to|values?|numbers?|data|chart|plot|graph|bar|line|visuali[sz]\w*|create|make|draw)$/i;
  const labelled = pairs
    .map((m) => ({
      label: (m[1] ?? "")
        .trim()
        .split(/\s+/)
        .filter((w) => !stop.test(w))
        .slice(-2)
        .join(" "),
      value: Number(m[2]),
    }))
    .filter((p) => p.label.length > 0);
  if (labelled.length >= 2 && labelled.length === pairs.length) return labelled.slice(0, 24);
  const nums = numbersIn(text).filter(
    (n) => !(Number.isInteger(n.value) && n.value >= 1900 && n.value <= 2100),
  );
  if (nums.length < 2) return null;
  return nums.slice(0, 24).map((n, i) => ({ label: String(i + 1), value: n.value }));
}

function topicOf(text: string): string {
  const m = /\b(?:of|showing|for|about|on)\s+(?:the\s+|a\s+|an\s+|my\s+)?([^.?!\n]{2,60})/i.exec(text);
  const raw = (m?.[1] ?? "sample data").replace(/\b(in|with|using)\s+(dark|light)\s*mode.*$/i, "").trim();
  return clip(raw.charAt(0).toUpperCase() + raw.slice(1), 40);
}

function subjectOf(text: string, csv: ModelFile | undefined): ChartSubject | null {
  const fns = functionsNamed(text);
  if (fns.length > 0) return { kind: "function", fns };
  if (csv && /\b(csv|data|dataset|file|table|column|spreadsheet|attached|upload\w*)\b/i.test(text))
    return { kind: "csv", file: csv };
  const bars = numbersNamed(text);
  if (bars) return { kind: "numbers", bars };
  return null;
}

/** One thing code interpreter did for a user message, reconstructed from the message text. */
export type CodeInterpreterAction =
  | { kind: "chart"; index: number; request: ChartRequest }
  | { kind: "file"; index: number; format: FileFormat; filename?: string; subject?: ChartSubject };

/**
 * What code interpreter did for each user message, oldest first (`index` = position in `texts`).
 * The model keeps no state between runs, so "show me the code" and "make a dark mode version of
 * this" are answered by replaying the conversation: follow-ups keep the earlier subject, and a
 * dark/light preference (from the instructions or any message) sticks.
 */
export function codeInterpreterHistory(
  ctx: Pick<ModelRunContext, "instructions" | "codeInterpreterFiles">,
  texts: string[],
): CodeInterpreterAction[] {
  const csv = ctx.codeInterpreterFiles.find((f) => /\.(csv|tsv)$/i.test(f.filename));
  let dark = themeRequest(ctx.instructions) ?? false;
  let subject: ChartSubject | undefined;
  let charted = false;
  let darkDrawn = false;
  const out: CodeInterpreterAction[] = [];
  texts.forEach((text, index) => {
    const theme = themeRequest(text);
    if (theme !== undefined) dark = theme;
    if (isCodeRequest(text)) return;
    const chartish = isChartRequest(text) || (theme !== undefined && charted);
    const file = fileRequest(text);
    if (file && (!chartish || isExplicitFileRequest(text))) {
      subject = subjectOf(text, csv) ?? subject;
      out.push({ kind: "file", index, format: file.format, filename: file.filename, subject });
      return;
    }
    if (!chartish) return;
    const followUp = (theme !== undefined && charted) || /\b(this|that|it|same|again|previous)\b/i.test(text);
    subject =
      subjectOf(text, csv) ??
      (followUp ? subject : undefined) ??
      (csv
        ? { kind: "csv", file: csv }
        : { kind: "sample", topic: topicOf(text), bar: /\bbar\b|histogram/i.test(text) });
    charted = true;
    out.push({
      kind: "chart",
      index,
      request: { subject, dark, ...(!dark && darkDrawn ? { restoreLight: true } : {}) },
    });
    darkDrawn ||= dark;
  });
  return out;
}

export interface ChartResult {
  spec: ChartSpec;
  code: string;
  logs: string;
  filename: string;
  /** What was drawn, in a sentence fragment ("the sine wave visualization"). */
  noun: string;
  /** Extra sentences for the answer (e.g. that the data is illustrative). */
  notes: string[];
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 40) || "chart"
  );
}

function pyStr(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function pyNum(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Illustrative values for a topic with no data: a seeded random walk, the same for the same topic. */
export function sampleValues(topic: string, n: number): number[] {
  let state = fnv1a(topic) || 1;
  let v = 50;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    v = Math.max(5, v + ((state / 2 ** 32) * 20 - 9));
    out.push(Math.round(v * 10) / 10);
  }
  return out;
}

/** Minimal RFC 4180 reader (quotes, doubled quotes, CRLF); enough for charting uploaded CSV. */
export function parseCsv(text: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      if (row.some((f) => f.trim() !== "")) rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== "")) rows.push(row);
  return rows;
}

const isNum = (s: string | undefined) => s !== undefined && s.trim() !== "" && Number.isFinite(Number(s));

function styleLines(dark: boolean, restoreLight = false): string[] {
  if (dark) return ["plt.style.use('dark_background')"];
  return restoreLight ? ["plt.style.use('default')"] : [];
}

function colorName(dark: boolean, i: number): string {
  const [r, g, b] = chartTheme(dark).palette[i % 4]!;
  const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  return dark && i === 0 ? "cyan" : hex;
}

function finish(title: string, xLabel: string, yLabel: string, file: string, extra: string[]): string[] {
  return [
    `ax.set_title(${pyStr(title)})`,
    `ax.set_xlabel(${pyStr(xLabel)})`,
    `ax.set_ylabel(${pyStr(yLabel)})`,
    "ax.grid(True, alpha=0.3)",
    ...extra,
    "fig.tight_layout()",
    `fig.savefig(${pyStr(`/mnt/data/${file}`)})`,
  ];
}

/** The chart for a request: what to draw, the code that would draw it, and what it would print. */
export async function buildChart(
  req: ChartRequest,
  ctx: Pick<ModelRunContext, "readFileText">,
): Promise<ChartResult> {
  const { subject, dark, restoreLight } = req;
  const suffix = dark ? "_dark" : "";
  const notes: string[] = [];

  if (subject.kind === "csv") {
    const table = await readTable(subject.file, ctx).catch(() => null);
    if (table) {
      const { header, rows } = table;
      const numericCols = header
        .map((_, c) => c)
        .filter((c) => rows.filter((r) => isNum(r[c])).length >= Math.max(1, rows.length * 0.8));
      const xCol = 0;
      const xNumeric = numericCols.includes(xCol);
      const yCols = numericCols.filter((c) => c !== xCol).slice(0, 4);
      if (yCols.length > 0 && rows.length > 0) {
        const h = (c: number) => header[c] ?? `column ${c + 1}`;
        const title = clip(subject.file.filename.replace(/\.\w+$/, "").replace(/[_-]+/g, " "), 40);
        const filename = `${slug(title)}${suffix}.png`;
        const path = `/mnt/data/${subject.file.filename}`;
        const head = [
          "import pandas as pd",
          "import matplotlib.pyplot as plt",
          "",
          `df = pd.read_csv(${pyStr(path)}${subject.file.filename.toLowerCase().endsWith(".tsv") ? ", sep='\\t'" : ""})`,
          'print(f"{len(df)} rows, columns: {list(df.columns)}")',
          "",
          ...styleLines(dark, restoreLight),
          "fig, ax = plt.subplots(figsize=(8, 5), dpi=100)",
        ];
        const logs = `${rows.length} rows, columns: [${header.map((c) => pyStr(c)).join(", ")}]\n`;
        if (!xNumeric && yCols.length === 1 && rows.length <= 30) {
          const y = yCols[0]!;
          const code = [
            ...head,
            `ax.bar(df[${pyStr(h(xCol))}].astype(str), df[${pyStr(h(y))}], color=${pyStr(colorName(dark, 0))})`,
            ...finish(title, h(xCol), h(y), filename, []),
            "plt.show()",
          ];
          const spec: ChartSpec = {
            kind: "bar",
            title,
            xLabel: h(xCol),
            yLabel: h(y),
            dark,
            bars: rows.map((r) => ({ label: r[xCol] ?? "", value: Number(r[y]) })),
          };
          return {
            spec,
            code: code.join("\n"),
            logs,
            filename,
            noun: `the bar chart of ${h(y)} by ${h(xCol)} from ${subject.file.filename}`,
            notes,
          };
        }
        const xs = (r: string[], i: number) => (xNumeric ? Number(r[xCol]) : i);
        const series: LineSeries[] = yCols.map((c) => ({
          name: h(c),
          points: rows.filter((r) => isNum(r[c])).map((r, i) => [xs(r, i), Number(r[c])] as [number, number]),
        }));
        const xExpr = xNumeric ? `df[${pyStr(h(xCol))}]` : "df.index";
        const plots = yCols.map(
          (c, i) =>
            `ax.plot(${xExpr}, df[${pyStr(h(c))}], color=${pyStr(colorName(dark, i))}, linewidth=2, label=${pyStr(h(c))})`,
        );
        const xLabel = xNumeric ? h(xCol) : "row";
        const yLabel = yCols.length === 1 ? h(yCols[0]!) : "value";
        const code = [
          ...head,
          ...plots,
          ...finish(title, xLabel, yLabel, filename, yCols.length > 1 ? ["ax.legend()"] : []),
          "plt.show()",
        ];
        return {
          spec: { kind: "line", title, xLabel, yLabel, dark, series },
          code: code.join("\n"),
          logs,
          filename,
          noun: `the chart of ${yCols.map(h).join(", ")} from ${subject.file.filename}`,
          notes,
        };
      }
    }
    notes.push(
      `I couldn't find numeric columns in ${subject.file.filename}, so this chart shows illustrative sample values instead.`,
    );
    return buildChart(
      { subject: { kind: "sample", topic: subject.file.filename, bar: false }, dark, restoreLight },
      ctx,
    );
  }

  if (subject.kind === "function") {
    const defs = subject.fns.map((f) => FNS[f]);
    const first = defs[0]!;
    const title = defs.length === 1 ? first.title : defs.map((d) => d.label).join(" and ");
    const filename = `${slug(defs.map((d) => d.noun).join(" and "))}${suffix}.png`;
    const xsData = Array.from(
      { length: POINTS },
      (_, i) => first.from + ((first.to - first.from) * i) / (POINTS - 1),
    );
    const series: LineSeries[] = defs.map((d) => ({
      name: d.label,
      points: xsData.map((x) => [x, d.f(x)] as [number, number]),
    }));
    const yNames = defs.length === 1 ? ["y"] : defs.map((_, i) => `y${i + 1}`);
    const code = [
      "import numpy as np",
      "import matplotlib.pyplot as plt",
      "",
      `# Data for the ${defs.map((d) => d.noun).join(" and ")}`,
      `x = np.linspace(${first.pyRange}, ${POINTS})`,
      ...defs.map((d, i) => `${yNames[i]} = ${d.py}`),
      "",
      ...styleLines(dark, restoreLight),
      "fig, ax = plt.subplots(figsize=(8, 5), dpi=100)",
      ...defs.map(
        (d, i) =>
          `ax.plot(x, ${yNames[i]}, color=${pyStr(colorName(dark, i))}, linewidth=2, label=${pyStr(d.label)})`,
      ),
      ...finish(
        title,
        "x",
        defs.length === 1 ? first.label : "y",
        filename,
        defs.length > 1 ? ["ax.legend()"] : [],
      ),
      ...defs.map(
        (_, i) =>
          `print(f"${yNames[i]}: {len(x)} points, from {${yNames[i]}.min():.2f} to {${yNames[i]}.max():.2f}")`,
      ),
      "plt.show()",
    ];
    const logs = series
      .map((s, i) => {
        const ys = s.points.map((p) => p[1]);
        return `${yNames[i]}: ${POINTS} points, from ${Math.min(...ys).toFixed(2)} to ${Math.max(...ys).toFixed(2)}\n`;
      })
      .join("");
    const span = first.pyRange === "0, 4 * np.pi" ? "0 to 4π" : `${first.from} to ${first.to}`;
    notes.push(
      `It plots ${defs.map((d) => `\`${d.label}\``).join(" and ")} for x from ${span} with ${POINTS} points, with labelled axes and a grid.`,
    );
    return {
      spec: { kind: "line", title, xLabel: "x", yLabel: defs.length === 1 ? first.label : "y", dark, series },
      code: code.join("\n"),
      logs,
      filename,
      noun: `the ${defs.map((d) => d.noun).join(" and ")} visualization`,
      notes,
    };
  }

  if (subject.kind === "numbers") {
    const title = "Your Values";
    const filename = `values${suffix}.png`;
    const code = [
      "import matplotlib.pyplot as plt",
      "",
      `labels = [${subject.bars.map((b) => pyStr(b.label)).join(", ")}]`,
      `values = [${subject.bars.map((b) => pyNum(b.value)).join(", ")}]`,
      "",
      ...styleLines(dark, restoreLight),
      "fig, ax = plt.subplots(figsize=(8, 5), dpi=100)",
      `ax.bar(labels, values, color=${pyStr(colorName(dark, 0))})`,
      ...finish(title, "", "value", filename, []),
      'print(f"{len(values)} bars, total {sum(values)}")',
      "plt.show()",
    ];
    const total = subject.bars.reduce((s, b) => s + b.value, 0);
    const logs = `${subject.bars.length} bars, total ${pyNum(total)}\n`;
    notes.push(`It shows the ${subject.bars.length} values from your message as bars.`);
    return {
      spec: { kind: "bar", title, xLabel: "", yLabel: "value", dark, bars: subject.bars },
      code: code.join("\n"),
      logs,
      filename,
      noun: "the bar chart of your values",
      notes,
    };
  }

  // No data and no known function: an honest, clearly labelled illustration.
  const title = subject.topic;
  const filename = `${slug(title)}${suffix}.png`;
  const xLabel = /\bmonth/i.test(title)
    ? "month"
    : /\b(day|daily|week)/i.test(title)
      ? "day"
      : /\b(year|annual)/i.test(title)
        ? "year"
        : "x";
  const values = sampleValues(subject.topic, 12);
  notes.push(
    "You didn't give me data, so the values are illustrative samples (the same every time), not real measurements. Attach a CSV file to chart your own data.",
  );
  const code = [
    "import matplotlib.pyplot as plt",
    "",
    "# Illustrative sample values: no data was provided",
    `values = [${values.map(pyNum).join(", ")}]`,
    "x = list(range(1, len(values) + 1))",
    "",
    ...styleLines(dark, restoreLight),
    "fig, ax = plt.subplots(figsize=(8, 5), dpi=100)",
    subject.bar
      ? `ax.bar(x, values, color=${pyStr(colorName(dark, 0))})`
      : `ax.plot(x, values, color=${pyStr(colorName(dark, 0))}, linewidth=2, marker='o')`,
    ...finish(title, xLabel, "value", filename, []),
    'print(f"{len(values)} values, from {min(values)} to {max(values)}")',
    "plt.show()",
  ];
  const logs = `${values.length} values, from ${pyNum(Math.min(...values))} to ${pyNum(Math.max(...values))}\n`;
  const spec: ChartSpec = subject.bar
    ? {
        kind: "bar",
        title,
        xLabel,
        yLabel: "value",
        dark,
        bars: values.map((v, i) => ({ label: String(i + 1), value: v })),
      }
    : {
        kind: "line",
        title,
        xLabel,
        yLabel: "value",
        dark,
        series: [{ name: "value", points: values.map((v, i) => [i + 1, v]), markers: true }],
      };
  return { spec, code: code.join("\n"), logs, filename, noun: `the chart of ${title.toLowerCase()}`, notes };
}

async function readTable(
  file: ModelFile,
  ctx: Pick<ModelRunContext, "readFileText">,
): Promise<{ header: string[]; rows: string[][] } | null> {
  const text = await ctx.readFileText(file.file_id, 2_000_000);
  const rows = parseCsv(text, file.filename.toLowerCase().endsWith(".tsv") ? "\t" : ",");
  const header = rows[0];
  if (!header || rows.length < 2) return null;
  return { header: header.map((h) => h.trim()), rows: rows.slice(1, 5001) };
}

export function renderChartPng(result: ChartResult): Uint8Array {
  return new Uint8Array(renderChart(result.spec));
}

export interface FileResult {
  filename: string;
  data: Uint8Array;
  code: string;
  logs: string;
  description: string;
}

/** A data file for the conversation's subject (the last chart's data if any), in the asked format. */
export async function buildFile(
  format: FileFormat,
  requestedName: string | undefined,
  subject: ChartSubject | undefined,
  ctx: Pick<ModelRunContext, "readFileText">,
): Promise<FileResult> {
  let columns: string[];
  let rows: (string | number)[][];
  let what: string;
  let stem: string;
  if (subject?.kind === "function") {
    const defs = subject.fns.map((f) => FNS[f]);
    const first = defs[0]!;
    const n = 101;
    columns = ["x", ...defs.map((d) => d.label)];
    rows = Array.from({ length: n }, (_, i) => {
      const x = first.from + ((first.to - first.from) * i) / (n - 1);
      return [Number(x.toFixed(6)), ...defs.map((d) => Number(d.f(x).toFixed(6)))];
    });
    what = `${n} samples of ${defs.map((d) => d.label).join(" and ")}`;
    stem = slug(defs.map((d) => d.noun).join(" and "));
  } else if (subject?.kind === "numbers") {
    columns = ["label", "value"];
    rows = subject.bars.map((b) => [b.label, b.value]);
    what = `the ${rows.length} values from your message`;
    stem = "values";
  } else if (subject?.kind === "csv") {
    const table = await readTable(subject.file, ctx).catch(() => null);
    columns = table?.header ?? ["value"];
    rows = table?.rows ?? [];
    what = `the ${rows.length} rows of ${subject.file.filename}`;
    stem = slug(subject.file.filename.replace(/\.\w+$/, ""));
  } else {
    const topic = subject?.kind === "sample" ? subject.topic : "sample data";
    const values = sampleValues(topic, 12);
    columns = ["x", "value"];
    rows = values.map((v, i) => [i + 1, v]);
    what = `12 illustrative sample values (not real data) for ${topic.toLowerCase()}`;
    stem = slug(topic);
  }
  const filename = requestedName ?? `${stem}.${format}`;
  const path = `/mnt/data/${filename}`;
  const writer =
    format === "json"
      ? `df.to_json(${pyStr(path)}, orient='records', indent=2)`
      : format === "tsv"
        ? `df.to_csv(${pyStr(path)}, sep='\\t', index=False)`
        : format === "txt"
          ? `df.to_string(open(${pyStr(path)}, 'w'), index=False)`
          : `df.to_csv(${pyStr(path)}, index=False)`;
  let build: string[];
  if (subject?.kind === "function") {
    const defs = subject.fns.map((f) => FNS[f]);
    build = [
      "import numpy as np",
      "import pandas as pd",
      "",
      `x = np.linspace(${defs[0]!.pyRange}, ${rows.length})`,
      `df = pd.DataFrame({'x': x, ${defs.map((d) => `${pyStr(d.label)}: ${d.py}`).join(", ")}}).round(6)`,
    ];
  } else if (subject?.kind === "csv") {
    build = ["import pandas as pd", "", `df = pd.read_csv(${pyStr(`/mnt/data/${subject.file.filename}`)})`];
  } else {
    const pyRows = rows.map(
      (r) => `[${r.map((v) => (typeof v === "number" ? pyNum(v) : pyStr(v))).join(", ")}]`,
    );
    build = [
      "import pandas as pd",
      "",
      `rows = [\n    ${pyRows.join(",\n    ")},\n]`,
      `df = pd.DataFrame(rows, columns=[${columns.map(pyStr).join(", ")}])`,
    ];
  }
  const code = [...build, writer, `print(f"Saved {len(df)} rows to ${path}")`].join("\n");
  let content: string;
  if (format === "json")
    content = `${JSON.stringify(
      rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null]))),
      null,
      2,
    )}\n`;
  else {
    const sep = format === "tsv" ? "\t" : format === "txt" ? "  " : ",";
    const cell = (v: string | number) => {
      const s = String(v);
      return format === "csv" && /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    content = [columns, ...rows].map((r) => r.map(cell).join(sep)).join("\n") + "\n";
  }
  return {
    filename,
    data: new TextEncoder().encode(content),
    code,
    logs: `Saved ${rows.length} rows to ${path}\n`,
    description: `${what}, with columns ${columns.map((c) => `\`${c}\``).join(", ")}`,
  };
}

/** A code call that only lists the files code interpreter can see (their names and sizes are known). */
export function listFilesCall(files: ModelFile[]): { code: string; logs: string } {
  const sorted = [...files].sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  const code = [
    "import os",
    "",
    "files = sorted(os.listdir('/mnt/data'))",
    'print(f"{len(files)} file(s) in /mnt/data")',
    "for name in files:",
    "    print(name, os.path.getsize(os.path.join('/mnt/data', name)))",
  ].join("\n");
  const logs = `${sorted.length} file(s) in /mnt/data\n${sorted.map((f) => `${f.filename} ${f.bytes}\n`).join("")}`;
  return { code, logs };
}
