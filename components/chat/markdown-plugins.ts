// Heavy renderers, each loaded the first time a block needs it (never with the page).
import type { Options } from "react-markdown";

type PluggableList = NonNullable<Options["rehypePlugins"]>;

export type HeavyPlugins = {
  highlight?: PluggableList;
  math?: { remark: PluggableList; rehype: PluggableList };
};

let loaded: HeavyPlugins = {};
const pending: { highlight?: Promise<void>; math?: Promise<void> } = {};
const listeners = new Set<() => void>();

export function heavyPlugins(): HeavyPlugins {
  return loaded;
}

export function subscribeHeavyPlugins(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

const notify = () => listeners.forEach((l) => l());

export function loadHighlight(): Promise<void> {
  pending.highlight ??= import("rehype-highlight").then((m) => {
    loaded = { ...loaded, highlight: [[m.default, { detect: true }]] };
    notify();
  });
  return pending.highlight;
}

export function loadMath(): Promise<void> {
  pending.math ??= Promise.all([
    import("remark-math"),
    import("rehype-katex"),
    import("katex/dist/katex.min.css"),
  ]).then(([remarkMath, rehypeKatex]) => {
    loaded = {
      ...loaded,
      math: { remark: [remarkMath.default], rehype: [[rehypeKatex.default, { throwOnError: false }]] },
    };
    notify();
  });
  return pending.math;
}
