/**
 * The chart renderer behind the scripted code interpreter: a real PNG drawn pixel by pixel with
 * pngjs (axes, grid, tick labels, anti-aliased thick lines or bars). It draws what the shown Python
 * would plot, from the same numbers, but it is not matplotlib and runs no Python.
 */
import { PNG } from "pngjs";
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph, textWidth } from "./font";

export interface LineSeries {
  name: string;
  /** [x, y] pairs in data units, in drawing order. */
  points: [number, number][];
  /** Dots at each point (matplotlib `marker='o'`). */
  markers?: boolean;
}

export interface ChartSpec {
  kind: "line" | "bar";
  title: string;
  xLabel: string;
  yLabel: string;
  dark: boolean;
  /** For `line`. */
  series?: LineSeries[];
  /** For `bar`. */
  bars?: { label: string; value: number }[];
  width?: number;
  height?: number;
}

type RGB = [number, number, number];

interface Theme {
  background: RGB;
  grid: RGB;
  axis: RGB;
  text: RGB;
  palette: RGB[];
}

const LIGHT: Theme = {
  background: [255, 255, 255],
  grid: [224, 224, 224],
  axis: [51, 51, 51],
  text: [34, 34, 34],
  palette: [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [214, 39, 40],
  ],
};

// Mirrors matplotlib's `dark_background` style with a cyan line, as in the classic walkthrough.
const DARK: Theme = {
  background: [17, 17, 17],
  grid: [60, 60, 60],
  axis: [204, 204, 204],
  text: [238, 238, 238],
  palette: [
    [0, 255, 255],
    [255, 165, 0],
    [127, 255, 0],
    [255, 105, 180],
  ],
};

export const DEFAULT_WIDTH = 800;
export const DEFAULT_HEIGHT = 500;
const LINE_WIDTH = 3;

export function chartTheme(dark: boolean): Theme {
  return dark ? DARK : LIGHT;
}

class Canvas {
  readonly data: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
    background: RGB,
  ) {
    this.data = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      this.data[i * 4] = background[0];
      this.data[i * 4 + 1] = background[1];
      this.data[i * 4 + 2] = background[2];
      this.data[i * 4 + 3] = 255;
    }
  }

  blend(x: number, y: number, color: RGB, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const a = Math.min(1, alpha);
    const i = (y * this.width + x) * 4;
    for (let c = 0; c < 3; c++) {
      const old = this.data[i + c] ?? 0;
      this.data[i + c] = Math.round(old + (color[c]! - old) * a);
    }
  }

  fillRect(x0: number, y0: number, x1: number, y1: number, color: RGB): void {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(this.height, Math.ceil(y1)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(this.width, Math.ceil(x1)); x++)
        this.blend(x, y, color, 1);
    }
  }

  text(s: string, x: number, y: number, scale: number, color: RGB): void {
    let cx = Math.round(x);
    for (const ch of s) {
      const bits = glyph(ch);
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (bits[r * GLYPH_WIDTH + c])
            this.fillRect(cx + c * scale, y + r * scale, cx + (c + 1) * scale, y + (r + 1) * scale, color);
        }
      }
      cx += (GLYPH_WIDTH + 1) * scale;
    }
  }

  /**
   * A polyline of the given width with anti-aliased edges: each pixel takes the coverage of its
   * nearest segment (distance-to-segment), so joints do not double-darken.
   */
  polyline(points: [number, number][], width: number, color: RGB, clip: Rect): void {
    const coverage = new Float32Array(this.width * this.height);
    const half = width / 2;
    for (let s = 0; s + 1 < points.length; s++) {
      const [ax, ay] = points[s]!;
      const [bx, by] = points[s + 1]!;
      const minX = Math.max(Math.floor(clip.left), Math.floor(Math.min(ax, bx) - half - 1));
      const maxX = Math.min(Math.ceil(clip.right), Math.ceil(Math.max(ax, bx) + half + 1));
      const minY = Math.max(Math.floor(clip.top), Math.floor(Math.min(ay, by) - half - 1));
      const maxY = Math.min(Math.ceil(clip.bottom), Math.ceil(Math.max(ay, by) + half + 1));
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      for (let py = minY; py < maxY; py++) {
        for (let px = minX; px < maxX; px++) {
          const cx = px + 0.5;
          const cy = py + 0.5;
          const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((cx - ax) * dx + (cy - ay) * dy) / len2));
          const d = Math.hypot(cx - (ax + t * dx), cy - (ay + t * dy));
          const cov = Math.max(0, Math.min(1, half + 0.5 - d));
          const i = py * this.width + px;
          if (cov > coverage[i]!) coverage[i] = cov;
        }
      }
    }
    for (let i = 0; i < coverage.length; i++) {
      const cov = coverage[i]!;
      if (cov > 0) this.blend(i % this.width, Math.floor(i / this.width), color, cov);
    }
  }

  /** Filled anti-aliased discs. */
  dots(points: [number, number][], radius: number, color: RGB): void {
    for (const [cx, cy] of points) {
      for (let y = Math.floor(cy - radius - 1); y <= Math.ceil(cy + radius + 1); y++) {
        for (let x = Math.floor(cx - radius - 1); x <= Math.ceil(cx + radius + 1); x++) {
          const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
          this.blend(x, y, color, Math.max(0, Math.min(1, radius + 0.5 - d)));
        }
      }
    }
  }

  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    this.data.copy(png.data);
    // Opaque RGB with one fixed filter (Paeth) rather than trying all five per row: about 3x faster to
    // encode than the defaults, for a few KB more.
    return PNG.sync.write(png, { colorType: 2, filterType: 4, deflateLevel: 6 });
  }
}

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** About `count` round tick values covering [min, max] (1, 2, 5 × 10^k steps). */
export function niceTicks(min: number, max: number, count = 6): { ticks: number[]; step: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0, 1], step: 1 };
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const start = Math.floor(min / step + 1e-9) * step;
  const end = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Math.abs(v) < step / 1e6 ? 0 : v);
  return { ticks, step };
}

function formatTick(v: number, step: number): string {
  // Large values get a suffix so labels fit the left margin (1.5M rather than 1500000).
  for (const [size, suffix] of [
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ] as const) {
    if (Math.abs(step) >= size / 10 && Math.max(Math.abs(v), Math.abs(step)) >= size * 10) {
      return v === 0 ? "0" : `${formatTick(v / size, step / size)}${suffix}`;
    }
  }
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

const FONT_SAFE = /[^A-Za-z0-9 .,\-+():/%'_=π?^*]/g;
function printable(s: string, maxChars: number): string {
  const clean = s.replace(FONT_SAFE, " ").replace(/\s+/g, " ").trim();
  if (clean.length <= maxChars) return clean;
  return maxChars < 8 ? clean.slice(0, Math.max(0, maxChars)) : `${clean.slice(0, maxChars - 3)}...`;
}

/** Where the plot area sits for a chart of this size (exported for tests and docs). */
export function plotArea(width = DEFAULT_WIDTH, height = DEFAULT_HEIGHT): Rect {
  return { left: 90, top: 60, right: width - 30, bottom: height - 70 };
}

export function renderChart(spec: ChartSpec): Buffer {
  const width = spec.width ?? DEFAULT_WIDTH;
  const height = spec.height ?? DEFAULT_HEIGHT;
  const theme = chartTheme(spec.dark);
  const canvas = new Canvas(width, height, theme.background);
  const area = plotArea(width, height);

  const series = spec.kind === "line" ? (spec.series ?? []).filter((s) => s.points.length > 0) : [];
  const bars = spec.kind === "bar" ? (spec.bars ?? []) : [];

  let xMin: number, xMax: number, yMin: number, yMax: number;
  if (spec.kind === "bar") {
    xMin = 0;
    xMax = Math.max(1, bars.length);
    const values = bars.map((b) => b.value);
    yMin = Math.min(0, ...values);
    yMax = Math.max(0, ...values);
  } else {
    const xs = series.flatMap((s) => s.points.map((p) => p[0]));
    const ys = series.flatMap((s) => s.points.map((p) => p[1]));
    xMin = xs.length ? Math.min(...xs) : 0;
    xMax = xs.length ? Math.max(...xs) : 1;
    yMin = ys.length ? Math.min(...ys) : 0;
    yMax = ys.length ? Math.max(...ys) : 1;
  }
  if (xMin === xMax) {
    xMin -= 1;
    xMax += 1;
  }
  // Like matplotlib's default margins: the data never touches the frame (bars keep their baseline).
  const span = yMax - yMin || 1;
  const yLo = spec.kind === "bar" && yMin === 0 ? 0 : yMin - span * 0.06;
  const yHi = spec.kind === "bar" && yMax === 0 ? 0 : yMax + span * 0.06;
  const yTicks = niceTicks(yMin, yMax, 6);
  yTicks.ticks = yTicks.ticks.filter((t) => t >= yLo - 1e-9 && t <= yHi + 1e-9);
  const xTicks = spec.kind === "bar" ? { ticks: [], step: 1 } : niceTicks(xMin, xMax, 8);
  const xs = (x: number) => area.left + ((x - xMin) / (xMax - xMin)) * (area.right - area.left);
  const ys = (y: number) => area.bottom - ((y - yLo) / (yHi - yLo)) * (area.bottom - area.top);

  // Grid and tick labels.
  for (const t of yTicks.ticks) {
    const py = Math.round(ys(t));
    canvas.fillRect(area.left, py, area.right, py + 1, theme.grid);
    const label = formatTick(t, yTicks.step);
    canvas.text(label, area.left - 10 - textWidth(label, 2), py - GLYPH_HEIGHT, 2, theme.text);
  }
  for (const t of xTicks.ticks) {
    if (t < xMin - 1e-9 || t > xMax + 1e-9) continue;
    const px = Math.round(xs(t));
    canvas.fillRect(px, area.top, px + 1, area.bottom, theme.grid);
    const label = formatTick(t, xTicks.step);
    canvas.text(label, px - textWidth(label, 2) / 2, area.bottom + 10, 2, theme.text);
  }

  if (spec.kind === "bar") {
    const slot = (area.right - area.left) / Math.max(1, bars.length);
    // Narrow slots get the small font; labels never spill into the next bar's slot.
    const labelScale = slot >= 60 ? 2 : 1;
    const maxLabel = Math.floor((slot - 4) / ((GLYPH_WIDTH + 1) * labelScale));
    bars.forEach((b, i) => {
      const color = theme.palette[0]!;
      const x0 = area.left + i * slot + slot * 0.15;
      const x1 = area.left + (i + 1) * slot - slot * 0.15;
      const y0 = ys(Math.max(0, b.value));
      const y1 = ys(Math.min(0, b.value));
      canvas.fillRect(x0, y0, x1, y1, color);
      const label = printable(b.label, maxLabel);
      canvas.text(
        label,
        area.left + (i + 0.5) * slot - textWidth(label, labelScale) / 2,
        area.bottom + 10,
        labelScale,
        theme.text,
      );
    });
  } else {
    series.forEach((s, i) => {
      const color = theme.palette[i % theme.palette.length]!;
      const pts = s.points.map(([x, y]) => [xs(x), ys(y)] as [number, number]);
      canvas.polyline(pts, LINE_WIDTH, color, area);
      if (s.markers) canvas.dots(pts, 4.5, color);
    });
    if (series.length > 1) {
      // Legend, top right inside the plot.
      let ly = area.top + 10;
      for (const [i, s] of series.entries()) {
        const name = printable(s.name, 20);
        const lx = area.right - 20 - textWidth(name, 2) - 30;
        canvas.fillRect(lx, ly + 6, lx + 22, ly + 9, theme.palette[i % theme.palette.length]!);
        canvas.text(name, lx + 30, ly, 2, theme.text);
        ly += 22;
      }
    }
  }

  // Axes frame on top of the grid.
  canvas.fillRect(area.left - 1, area.top, area.left + 1, area.bottom + 1, theme.axis);
  canvas.fillRect(area.left - 1, area.bottom - 1, area.right, area.bottom + 1, theme.axis);
  canvas.fillRect(area.right - 1, area.top, area.right, area.bottom, theme.axis);
  canvas.fillRect(area.left - 1, area.top, area.right, area.top + 1, theme.axis);

  const title = printable(spec.title, 40);
  canvas.text(title, (width - textWidth(title, 3)) / 2, 6, 3, theme.text);
  const xLabel = printable(spec.xLabel, 40);
  canvas.text(xLabel, (area.left + area.right - textWidth(xLabel, 2)) / 2, height - 28, 2, theme.text);
  const yLabel = printable(spec.yLabel, 30);
  canvas.text(yLabel, 10, area.top - 30, 2, theme.text);

  return canvas.toPng();
}
