/** What a message asks for, by keyword: deterministic triggers documented in README.md. */

const CHART_NOUN = /\b(chart|plot|graph|visuali[sz]|diagram|histogram)\w*/i;
// A chart word alone ("what's a graph database?", "the plot of Hamlet") is not a request to draw.
const ASKING_VERB =
  /\b(create|make|draw|show|generate|render|produce|give|build|redo|change|update|turn|convert|switch|want|need|like|prefer|add|display|sketch|visuali[sz]e)\b/i;
const CHART_VERB_FIRST =
  /(^|[.!?]\s*|\b(please|can you|could you|would you|will you|and|then|to|now)\s+)(plot|graph|chart)\b/i;

export function isChartRequest(text: string): boolean {
  return CHART_NOUN.test(text) && (ASKING_VERB.test(text) || CHART_VERB_FIRST.test(text.trim()));
}

export function isCodeRequest(text: string): boolean {
  return (
    /\b(show|see|view|give|share|display|print|send|paste|post)\b[^.?!\n]{0,40}\b(code|script|python)\b/i.test(
      text,
    ) ||
    /\b(what|which)\s+(code|script|python)\b/i.test(text) ||
    /\b(code|script)\s+(did\s+)?you\s+(use|used|wrote|write|ran|run)\b/i.test(text)
  );
}

export type FileFormat = "csv" | "json" | "txt" | "tsv";

/** The format of a file the message asks to be created or exported, if it asks for one. */
export function fileRequest(text: string): { format: FileFormat; filename?: string } | null {
  const named = /\b([\w-]{1,60})\.(csv|json|txt|tsv)\b/i.exec(text);
  const verb = /\b(create|save|export|write|generate|make|produce|download|give|output|dump|store)\b/i.test(
    text,
  );
  const noun = /\b(file|csv|json|txt|tsv|spreadsheet|download)\b/i.exec(text);
  if (!verb || (!noun && !named)) return null;
  const format = (
    named?.[2] ??
    /\b(csv|json|txt|tsv)\b/i.exec(text)?.[1] ??
    (/\btext file\b/i.test(text) ? "txt" : "csv")
  ).toLowerCase() as FileFormat;
  return named ? { format, filename: `${named[1]}.${named[2]!.toLowerCase()}` } : { format };
}

/** Whether a file request names a data format (so it is about data, not about saving a chart). */
export function namesDataFormat(text: string): boolean {
  return /\b(csv|json|txt|tsv|spreadsheet|text file|data file)\b|\.(csv|json|txt|tsv)\b/i.test(text);
}

/** true = dark asked, false = light asked, undefined = neither. */
export function themeRequest(text: string): boolean | undefined {
  if (
    /\bdark\s*-?\s*(mode|theme|background|version|colou?r|style)|\bdarkmode\b|\bdark\b[^.?!\n]{0,20}\b(chart|plot|graph|visuali[sz]\w*)/i.test(
      text,
    )
  )
    return true;
  if (/\blight\s*-?\s*(mode|theme|background|version|style)|\blightmode\b/i.test(text)) return false;
  return undefined;
}

export function isGreeting(text: string): boolean {
  return /^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|greetings)\b[\s!.,]*(there)?[\s!.,]*$/i.test(
    text,
  );
}

export function wantsSave(text: string): boolean {
  return /\b(save|export|download|store)\b/i.test(text);
}

/** A file request that wins over a chart word in the same message ("plot it and export the data as CSV"). */
export function isExplicitFileRequest(text: string): boolean {
  return (
    namesDataFormat(text) &&
    /\b(save|export|download|write|dump|store)\b|\b(as|to|into)\s+(an?\s+)?(csv|json|txt|tsv)\b|\.(csv|json|txt|tsv)\b/i.test(
      text,
    )
  );
}
