import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { niceTicks, plotArea, renderChart, type ChartSpec } from "./chart";
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from "./font";

function sineSpec(dark: boolean): ChartSpec {
  const points: [number, number][] = [];
  for (let i = 0; i < 1000; i++) {
    const x = (4 * Math.PI * i) / 999;
    points.push([x, Math.sin(x)]);
  }
  return {
    kind: "line",
    title: "Sine Wave",
    xLabel: "x",
    yLabel: "sin(x)",
    dark,
    series: [{ name: "sin(x)", points }],
  };
}

const decode = (buf: Buffer) => PNG.sync.read(buf);
const px = (png: PNG, x: number, y: number) => {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!] as const;
};
const luminance = ([r, g, b]: readonly [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

function meanLuminance(png: PNG): number {
  let sum = 0;
  for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) sum += luminance(px(png, x, y));
  return sum / (png.width * png.height);
}

/** For each column, the centroid row of pixels that `isCurve` says belong to the line. */
function curveCentroids(
  png: PNG,
  isCurve: (rgb: readonly [number, number, number]) => number,
): Map<number, number> {
  const area = plotArea(png.width, png.height);
  const out = new Map<number, number>();
  for (let x = area.left + 2; x < area.right - 2; x++) {
    let w = 0;
    let sy = 0;
    for (let y = area.top + 2; y < area.bottom - 2; y++) {
      const k = isCurve(px(png, x, y));
      w += k;
      sy += k * y;
    }
    if (w > 0.5) out.set(x, sy / w);
  }
  return out;
}

function expectSineShape(centroids: Map<number, number>) {
  const cols = [...centroids.keys()].sort((a, b) => a - b);
  const c0 = cols[0]!;
  const c1 = cols[cols.length - 1]!;
  const rows = [...centroids.values()];
  const top = Math.min(...rows);
  const bottom = Math.max(...rows);
  const mid = (top + bottom) / 2;
  const amp = (bottom - top) / 2;
  // The curve spans most of the plot, horizontally and vertically.
  expect(c1 - c0).toBeGreaterThan(600);
  expect(amp).toBeGreaterThan(150);
  for (let k = 0; k <= 24; k++) {
    const col = Math.round(c0 + ((c1 - c0) * k) / 24);
    const row = centroids.get(col);
    expect(row, `curve present at column ${col}`).toBeDefined();
    const t = ((col - c0) / (c1 - c0)) * 4 * Math.PI;
    expect(Math.abs((mid - row!) / amp - Math.sin(t)), `sin at column ${col}`).toBeLessThan(0.08);
  }
}

describe("renderChart", () => {
  it("draws an 800x500 PNG whose line follows sin(x) across the plot", () => {
    const png = decode(renderChart(sineSpec(false)));
    expect(png.width).toBe(800);
    expect(png.height).toBe(500);
    // The light theme's line is blue: blue well above red.
    const centroids = curveCentroids(png, ([r, , b]) => Math.max(0, Math.min(1, (b - r - 20) / 120)));
    expectSineShape(centroids);
  });

  it("anti-aliases the line: intermediate shades between line and background", () => {
    const png = decode(renderChart(sineSpec(false)));
    const area = plotArea();
    let partial = 0;
    for (let y = area.top + 2; y < area.bottom - 2; y++) {
      for (let x = area.left + 2; x < area.right - 2; x++) {
        const [r, g, b] = px(png, x, y);
        if (b - r > 20 && b - r < 120 && g > 130) partial++;
      }
    }
    expect(partial).toBeGreaterThan(500);
  });

  it("draws axes and a grid", () => {
    const png = decode(renderChart(sineSpec(false)));
    const area = plotArea();
    // Left axis: a dark vertical line the height of the plot.
    for (let y = area.top + 5; y < area.bottom - 5; y += 17)
      expect(luminance(px(png, area.left, y))).toBeLessThan(80);
    // Grid lines: light grey pixels exist inside the plot, in rows away from the curve's colour.
    let grid = 0;
    for (let y = area.top + 1; y < area.bottom - 1; y++) {
      const [r, g, b] = px(png, area.left + 5, y);
      if (r === g && g === b && r > 200 && r < 240) grid++;
    }
    expect(grid).toBeGreaterThanOrEqual(3);
  });

  it("dark mode: dark background, light (cyan) line, same sine shape, much lower mean luminance", () => {
    const light = decode(renderChart(sineSpec(false)));
    const dark = decode(renderChart(sineSpec(true)));
    expect(meanLuminance(dark)).toBeLessThan(meanLuminance(light) * 0.4);
    expect(luminance(px(dark, 3, 3))).toBeLessThan(40);
    const centroids = curveCentroids(dark, ([r, g, b]) =>
      Math.max(0, Math.min(1, (Math.min(g, b) - r - 40) / 150)),
    );
    expectSineShape(centroids);
  });

  it("draws bars with heights proportional to the values", () => {
    const png = decode(
      renderChart({
        kind: "bar",
        title: "Values",
        xLabel: "",
        yLabel: "v",
        dark: false,
        bars: [
          { label: "a", value: 10 },
          { label: "b", value: 20 },
        ],
      }),
    );
    const area = plotArea();
    const slot = (area.right - area.left) / 2;
    const barTop = (col: number) => {
      for (let y = area.top; y < area.bottom; y++) {
        const [r, , b] = px(png, col, y);
        if (b - r > 100) return y;
      }
      return area.bottom;
    };
    const h1 = area.bottom - barTop(Math.round(area.left + slot * 0.5));
    const h2 = area.bottom - barTop(Math.round(area.left + slot * 1.5));
    expect(h2 / h1).toBeGreaterThan(1.9);
    expect(h2 / h1).toBeLessThan(2.1);
  });

  it("is deterministic", () => {
    expect(renderChart(sineSpec(true)).equals(renderChart(sineSpec(true)))).toBe(true);
  });
});

describe("niceTicks", () => {
  it("covers the range with round steps", () => {
    expect(niceTicks(-1, 1, 6)).toEqual({ ticks: [-1, -0.5, 0, 0.5, 1], step: 0.5 });
    const t = niceTicks(0, 4 * Math.PI, 8);
    expect(t.step).toBe(2);
    expect(t.ticks[0]).toBe(0);
    expect(t.ticks[t.ticks.length - 1]).toBeGreaterThanOrEqual(4 * Math.PI);
  });
});

describe("font", () => {
  it("has a full 5x7 bitmap for every character the charts print", () => {
    for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-+():/%'_=π?^*") {
      const bits = glyph(ch);
      expect(bits).toHaveLength(GLYPH_WIDTH * GLYPH_HEIGHT);
      if (ch !== " ") expect(bits.some(Boolean), ch).toBe(true);
      // Unknown characters fall back to the "?" bitmap itself.
      if (ch !== "?") expect(bits, ch).not.toBe(glyph("?"));
    }
    // Distinct letters look distinct.
    expect(glyph("S")).not.toEqual(glyph("5"));
    expect(glyph("O")).not.toEqual(glyph("0"));
  });
});
