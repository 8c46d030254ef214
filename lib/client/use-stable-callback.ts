import { useCallback, useInsertionEffect, useRef } from "react";

/**
 * A function whose identity never changes and that always calls the latest `fn` (for event
 * handlers handed to memoised children: a fresh closure each render would re-render them all).
 * Not for use during render: it sees the committed `fn`.
 */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const ref = useRef(fn);
  useInsertionEffect(() => {
    ref.current = fn;
  });
  return useCallback((...args: A) => ref.current(...args), []);
}
