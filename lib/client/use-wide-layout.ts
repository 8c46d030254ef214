"use client";

import { useSyncExternalStore } from "react";

/** From 1024 px (Tailwind's lg) the playground shows its panels side by side. */
const WIDE = "(min-width: 64rem)";

function subscribe(onChange: () => void) {
  const media = window.matchMedia(WIDE);
  media.addEventListener("change", onChange);
  return () => media.removeEventListener("change", onChange);
}

/** The window is wide enough for the side-by-side layout (the server renders the wide one). */
export function useWideLayout(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(WIDE).matches,
    () => true,
  );
}
