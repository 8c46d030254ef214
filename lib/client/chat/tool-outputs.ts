/** Pretty-prints a function call's arguments; text that is not JSON is shown as it came. */
export function prettyArguments(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

/** An output that looks like JSON must parse; plain text is fine as it is. Returns an error or null. */
export function validateToolOutput(output: string): string | null {
  const text = output.trim();
  if (!text) return "Enter an output (plain text or JSON).";
  if (/^[[{"]/.test(text)) {
    try {
      JSON.parse(text);
    } catch (err) {
      return `This looks like JSON but does not parse: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return null;
}

/** A plausible output for a function call, built from its name and arguments, for quick testing. */
export function sampleToolOutput(name: string, args: string): string {
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(args);
    if (value && typeof value === "object" && !Array.isArray(value))
      parsed = value as Record<string, unknown>;
  } catch {
    // arguments that are not JSON: a sample without echoes
  }
  if (/weather|forecast|temperature/i.test(name))
    return JSON.stringify(
      { ...parsed, temperature_c: 21, conditions: "partly cloudy", humidity: 0.55 },
      null,
      2,
    );
  return JSON.stringify({ ok: true, function: name, input: parsed, result: "sample output" }, null, 2);
}
