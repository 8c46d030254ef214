"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";

/** Within this distance of the bottom (px), the reader is at the bottom. */
const AT_BOTTOM_PX = 40;
/** A move up by more than this (px) that the page did not make is the reader scrolling away. */
const MOVED_UP_PX = 4;
/** Room kept above the newest question when it is held at the top of the view. */
const QUESTION_GAP_PX = 12;

export interface FollowScroll {
  /** The scrolling element (the conversation). */
  scrollRef: RefObject<HTMLDivElement | null>;
  /** Its content: watched for size changes (new words, an image loading, lazy markdown). */
  contentRef: RefObject<HTMLDivElement | null>;
  onScroll: () => void;
  /** The reader scrolled away from the newest answer: offer a way back. */
  showJump: boolean;
  jumpToLatest: () => void;
  /**
   * Follows again (the person sends, retries a run or answers its function calls). With
   * `newQuestion`, the next question to appear is held at the top of the view while its answer
   * grows below it, so a tall answer (a chart) never pushes the question out of sight; without,
   * a question still awaited is not (its message was not added).
   */
  follow: (options?: { newQuestion?: boolean }) => void;
}

/**
 * Keeps the newest exchange in view. While following, every size change of the content or of the
 * view puts the scroll position where it belongs: the bottom, or the newest question at the top
 * when the answer is taller than the view. A move up that the page did not make (wheel, keys,
 * scrollbar, touch) stops following until the reader returns to the bottom or jumps back.
 *
 * `newestQuestion` is the element id of the newest question in the conversation, `resetKey`
 * changes when another conversation opens (it starts at its end).
 */
export function useFollowScroll({
  resetKey,
  newestQuestion,
}: {
  resetKey: string | null;
  newestQuestion: string | null;
}): FollowScroll {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const [showJump, setShowJump] = useState(false);
  // Plain mutable state read by the observer and the scroll handler (no render needed).
  const mode = useRef<"follow" | "free">("follow");
  const anchor = useRef<string | null>(null);
  /**
   * Set on send: the question that was newest then, in which conversation (null: one the send
   * creates); the next different question there becomes the anchor.
   */
  const awaiting = useRef<{ after: string | null; key: string | null } | null>(null);
  const newest = useRef(newestQuestion);
  const key = useRef(resetKey);
  const lastTop = useRef(0);

  /** Where following puts the scroll position now. */
  const target = useCallback((log: HTMLElement) => {
    const bottom = Math.max(0, log.scrollHeight - log.clientHeight);
    const question = anchor.current ? document.getElementById(anchor.current) : null;
    if (!question || !log.contains(question)) return bottom;
    const top =
      question.getBoundingClientRect().top -
      log.getBoundingClientRect().top +
      log.scrollTop -
      QUESTION_GAP_PX;
    return Math.max(0, Math.min(bottom, top));
  }, []);

  const update = useCallback(() => {
    const log = scrollRef.current;
    if (!log) return;
    if (mode.current === "follow") {
      const to = target(log);
      if (Math.abs(log.scrollTop - to) >= 1) log.scrollTop = to;
    }
    lastTop.current = log.scrollTop;
    const below = log.scrollHeight - log.clientHeight - log.scrollTop > AT_BOTTOM_PX;
    setShowJump(mode.current === "free" && below);
  }, [target]);

  const onScroll = useCallback(() => {
    const log = scrollRef.current;
    if (!log) return;
    const top = log.scrollTop;
    const to = target(log);
    const atBottom = log.scrollHeight - log.clientHeight - top <= AT_BOTTOM_PX;
    // Only a move from where the page last put it (or last saw it) is the reader's: the event of
    // the page's own move can come after the content grew, when the target has moved on.
    const moved = top - lastTop.current;
    if (mode.current === "free") {
      // Back at the bottom: follow the bottom.
      if (atBottom) {
        mode.current = "follow";
        anchor.current = null;
      }
    } else if (moved > 1 && top > to + AT_BOTTOM_PX) {
      // Read down past the held question: to the bottom (follow it), or to the middle (stay).
      if (atBottom) anchor.current = null;
      else mode.current = "free";
    } else if (moved < -MOVED_UP_PX && top < to - MOVED_UP_PX) {
      // Content growing never moves the position up: this is the reader scrolling away.
      mode.current = "free";
    }
    lastTop.current = top;
    setShowJump(mode.current === "free" && !atBottom);
  }, [target]);

  const follow = useCallback(
    ({ newQuestion = false }: { newQuestion?: boolean } = {}) => {
      mode.current = "follow";
      if (newQuestion) anchor.current = null;
      awaiting.current = newQuestion ? { after: newest.current, key: key.current } : null;
      update();
    },
    [update],
  );

  const jumpToLatest = useCallback(() => {
    const log = scrollRef.current;
    // Below the held question already (reading the answer): the latest is the end.
    if (log && log.scrollTop > target(log) + AT_BOTTOM_PX) anchor.current = null;
    mode.current = "follow";
    update();
  }, [target, update]);

  // Layout effects: before paint, so the view never shows a frame in the wrong place.
  useLayoutEffect(() => {
    key.current = resetKey;
    mode.current = "follow";
    anchor.current = null;
    // A send that creates the conversation it opens keeps waiting for its question.
    if (awaiting.current && awaiting.current.key !== null) awaiting.current = null;
    else if (awaiting.current) awaiting.current.key = resetKey;
    update();
  }, [resetKey, update]);

  useLayoutEffect(() => {
    newest.current = newestQuestion;
    const pending = awaiting.current;
    if (pending && newestQuestion && newestQuestion !== pending.after && pending.key === key.current) {
      awaiting.current = null;
      anchor.current = newestQuestion;
      if (mode.current === "follow") update();
    }
  }, [newestQuestion, update]);

  useEffect(() => {
    const log = scrollRef.current;
    const content = contentRef.current;
    if (!log || !content || typeof ResizeObserver === "undefined") return;
    // The content grows (words, images, markdown loading) and the view changes size (a panel
    // opens, the window is resized): either way the newest exchange goes back where it belongs.
    const observer = new ResizeObserver(update);
    observer.observe(content);
    observer.observe(log);
    return () => observer.disconnect();
  }, [update]);

  return { scrollRef, contentRef, onScroll, showJump, jumpToLatest, follow };
}
