/**
 * What the browser benchmark runs inside the page (scripts/bench/browser.ts). Each function is
 * serialised by Playwright, so it uses nothing from outside its own body.
 */

export interface LagSample {
  /** performance.now() when the delta's SSE event was complete in the page. */
  arrived: number;
  /** performance.now() when its word was in the answer's DOM. */
  dom: number;
}

/**
 * An init script: wraps window.fetch (before the app captures it) so every SSE response is teed —
 * one branch to the app, one read here to time each `thread.message.delta` event — and watches the
 * conversation for the words of the last answer. `window.__benchLag()` pairs them.
 */
const streamLag = `(() => {
  const arrivals = [];
  const dom = [];
  const original = window.fetch;
  window.fetch = async function (input, init) {
    const response = await original.call(this, input, init);
    const type = response.headers.get("content-type") || "";
    if (!type.includes("text/event-stream") || !response.body) return response;
    const [forApp, forBench] = response.body.tee();
    (async () => {
      const reader = forBench.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const now = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\\n\\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: thread\\.message\\.delta$/m.test(block)) arrivals.push(now);
        }
        if (window.__benchMarks) console.timeStamp("bench arrival " + arrivals.length);
      }
    })();
    return new Response(forApp, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  let words = 0;
  const observer = new MutationObserver(() => {
    const log = document.querySelector('[role="log"][aria-label="Conversation"]');
    const answers = log ? log.querySelectorAll("article .markdown") : [];
    const last = answers[answers.length - 1];
    if (!last) return;
    const count = (last.textContent || "").split(/\\s+/).filter(Boolean).length;
    const now = performance.now();
    if (window.__benchMarks && words < count) console.timeStamp("bench dom " + count);
    while (words < count) dom[words++] = now;
  });
  const start = () => observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  if (document.documentElement) start(); else document.addEventListener("DOMContentLoaded", start);
  window.__benchLagReset = () => { arrivals.length = 0; dom.length = 0; words = 0; };
  window.__benchLag = () => arrivals.map((arrived, i) => ({ arrived, dom: dom[i] ?? NaN })).filter((s) => Number.isFinite(s.dom));
})();`;

/**
 * Sets `window.__benchAllWords`: resolved once the conversation's last answer holds `words` words
 * (a MutationObserver; the text is counted only once it is long enough to hold them).
 */
function watchAllWords(words: number): void {
  const w = window as unknown as { __benchAllWords: Promise<void> };
  w.__benchAllWords = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const log = document.querySelector('[role="log"][aria-label="Conversation"]');
      const answers = log?.querySelectorAll("article .markdown");
      const text = answers?.[answers.length - 1]?.textContent ?? "";
      if (text.length < words * 2 || text.split(/\s+/).filter(Boolean).length < words) return;
      observer.disconnect();
      // The frame that shows them, as the floor's span ends (bareStream).
      requestAnimationFrame(() => resolve());
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Resolves `window.__benchFirstMessage` with the time from the next click to the first message in the DOM. */
function watchFirstMessage(): void {
  const w = window as unknown as { __benchFirstMessage: Promise<{ dom: number; frame: number }> };
  w.__benchFirstMessage = new Promise((resolve) => {
    let clickedAt = 0;
    document.addEventListener("click", (e) => (clickedAt = e.timeStamp), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (!clickedAt) return;
      if (!document.querySelector('[role="log"][aria-label="Conversation"] article[id^="message-"]')) return;
      observer.disconnect();
      const dom = performance.now() - clickedAt;
      requestAnimationFrame(() => resolve({ dom, frame: performance.now() - clickedAt }));
    });
    observer.observe(document.body, { subtree: true, childList: true });
  });
}

/**
 * An init script for a reload: once `sessionStorage["bench-reload"]` is set, the next document
 * resolves `window.__benchReload` with the time from navigation start to its first message in the DOM.
 */
const reloadTimer = `(() => {
  if (!sessionStorage.getItem("bench-reload")) return;
  sessionStorage.removeItem("bench-reload");
  const selector = '[role="log"][aria-label="Conversation"] article[id^="message-"]';
  window.__benchReload = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector(selector)) return;
      observer.disconnect();
      resolve(performance.now());
    });
    observer.observe(document, { subtree: true, childList: true });
  });
})();`;

function markNavigation(): void {
  sessionStorage.setItem("bench-reload", "1");
}

/** Scrolls the conversation from top to bottom, `step` px per frame; returns the frame intervals. */
async function scrollThrough(step: number): Promise<{ intervals: number[]; px: number; ms: number }> {
  const log = document.querySelector<HTMLElement>('[role="log"][aria-label="Conversation"]');
  if (!log) throw new Error("no conversation log");
  const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
  log.scrollTop = 0;
  // Let the top settle (the virtualiser measures what it shows).
  for (let i = 0; i < 30; i++) {
    await frame();
    log.scrollTop = 0;
  }
  const intervals: number[] = [];
  let last = await frame();
  const started = last;
  let px = 0;
  let stuck = 0;
  for (;;) {
    const before = log.scrollTop;
    log.scrollTop = before + step;
    const now = await frame();
    intervals.push(now - last);
    last = now;
    const moved = log.scrollTop - before;
    px += Math.max(0, moved);
    if (log.scrollTop + log.clientHeight >= log.scrollHeight - 2) stuck += 1;
    else stuck = 0;
    if (stuck >= 3 || intervals.length > 20_000) break;
  }
  return { intervals, px, ms: last - started };
}

/** The floor: reads a run's stream with a bare reader and appends each delta's text to one paragraph, once a frame. */
async function bareStream({
  url,
  assistantId,
  words,
}: {
  url: string;
  assistantId: string;
  words: number;
}): Promise<void> {
  const host = document.querySelector('[role="log"][aria-label="Conversation"] > div') ?? document.body;
  // Inside an article's .markdown, as an answer is: the lag observer (streamLag) times its words.
  const article = document.createElement("article");
  const markdown = article.appendChild(document.createElement("div"));
  markdown.className = "markdown";
  const p = markdown.appendChild(document.createElement("p"));
  host.append(article);
  const text = p.appendChild(document.createTextNode(""));
  let pending = "";
  let frame = 0;
  let seen = 0;
  const flush = () => {
    frame = 0;
    text.appendData(pending);
    pending = "";
  };
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ assistant_id: assistantId, stream: true }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.startsWith("event: thread.message.delta")) continue;
      const data = JSON.parse(block.slice(block.indexOf("data: ") + 6)) as {
        delta: { content?: { text?: { value?: string } }[] };
      };
      pending += data.delta.content?.[0]?.text?.value ?? "";
      seen += 1;
      frame ||= requestAnimationFrame(flush);
    }
  }
  if (frame) {
    cancelAnimationFrame(frame);
    flush();
  }
  if (seen !== words) throw new Error(`the floor stream had ${seen} deltas, not ${words}`);
  await new Promise((r) => requestAnimationFrame(r));
}

export const browserMeasureScripts = {
  bareStream,
  streamLag,
  watchFirstMessage,
  watchAllWords,
  markNavigation,
  reloadTimer,
  scrollThrough,
};
