/**
 * How long to wait between two reads of a run that is followed by polling.
 *
 * The upstream says how often it wants to be asked (`openai-poll-after-ms`, on every response of
 * the local engine and of OpenAI's API; the SDK's own poll helpers read it too). The value is kept
 * within bounds: a browser tab polling faster than POLL_MIN_MS fills the request log
 * (lib/client/request-log) and competes with the page for nothing a person could see, and a wait
 * longer than POLL_MAX_MS makes a finished run look stuck.
 */
export const POLL_DEFAULT_MS = 500;
export const POLL_MIN_MS = 250;
export const POLL_MAX_MS = 10_000;

export const POLL_AFTER_HEADER = "openai-poll-after-ms";

/** The delay before the next read, from a response's headers (POLL_DEFAULT_MS without a usable value). */
export function pollDelayMs(headers: Headers | undefined): number {
  const raw = headers?.get(POLL_AFTER_HEADER)?.trim();
  if (!raw || !/^\d+$/.test(raw)) return POLL_DEFAULT_MS;
  return Math.min(POLL_MAX_MS, Math.max(POLL_MIN_MS, Number(raw)));
}
