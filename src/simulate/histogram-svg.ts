/**
 * Histograms as inline SVG, every variant on the same axes. Counts are on a log scale (a bin of one deploy
 * beside a bin of a thousand stays visible), and a log-binned axis keeps its zero bin apart, behind a
 * dashed gap: "no failed request" is a different kind of outcome from "a few", not the first of a range.
 */
import { html as esc, int } from "./format.js";
import type { Histogram } from "./montecarlo.js";

interface Series {
  readonly label: string;
  readonly h: Histogram;
}

const SERIES_COLORS: Record<string, string> = { given: "#dc2626", gated: "#059669" };
const OTHER_COLORS = ["#6366f1", "#d97706", "#0891b2"];

export const seriesColor = (label: string, k: number): string =>
  SERIES_COLORS[label] ?? (OTHER_COLORS[k % OTHER_COLORS.length] as string);

const n1 = (x: number) => (Math.round(x * 10) / 10).toString();

/** Axis labels: 1, 2, 5 … 1k, 2k, 10k, 1M for counts; whole numbers otherwise. */
function edgeLabel(x: number, scale: Histogram["scale"]): string {
  if (scale === "linear") return int(x);
  if (x >= 1e6) return `${x / 1e6}M`;
  if (x >= 1e3) return `${x / 1e3}k`;
  return String(x);
}

/** The values a bin holds, in words: integer bins [a, b) of a log axis hold a..b-1. */
function binRange(a: number, b: number, scale: Histogram["scale"]): string {
  if (scale === "log") return b - 1 > a ? `${int(a)}–${int(b - 1)}` : int(a);
  return `${n1(a)}–${n1(b)}`;
}

const W = 540;
const H = 236;
const LEFT = 58;
const RIGHT = 10;
const TOP = 26;
const BOTTOM = 48;
const ZERO_GAP = 18;

export function histogramSvg(
  title: string,
  unit: string,
  series: readonly Series[],
  options: { readonly countLabels: boolean },
): string {
  const first = series[0]?.h;
  const edges = first?.edges ?? [0, 1];
  const scale = first?.scale ?? "linear";
  const bins = Math.max(0, edges.length - 1);
  const hasZero = series.some((s) => s.h.zero !== null);
  // The zero bin is two slots wide: it is usually the tallest, and its count labels need the room.
  const slots = bins + (hasZero ? 2 : 0);
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const bottom = TOP + plotH;
  const slotW = (plotW - (hasZero ? ZERO_GAP : 0)) / Math.max(1, slots);
  const zeroW = 2 * slotW;
  const binsX = LEFT + (hasZero ? zeroW + ZERO_GAP : 0);
  const maxCount = Math.max(1, ...series.flatMap((s) => [...s.h.counts, s.h.zero ?? 0]));
  const heightOf = (c: number) =>
    c > 0 ? Math.max(2, (Math.log10(1 + c) / Math.log10(1 + maxCount)) * plotH) : 0;
  const barWidth = (slot: number) => (slot - 4) / Math.max(1, series.length);
  const parts: string[] = [
    `<text class="hist-title" x="${W / 2}" y="14" text-anchor="middle">${esc(title)}</text>`,
  ];

  // Count axis: 1, 10, 100 … on the log scale.
  for (let t = 1; t <= maxCount; t *= 10) {
    const y = bottom - heightOf(t);
    parts.push(
      `<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${n1(y)}" y2="${n1(y)}" />`,
      `<text class="axis" x="${LEFT - 4}" y="${n1(y + 3)}" text-anchor="end">${int(t)}</text>`,
    );
  }
  parts.push(
    `<text class="axis" x="10" y="${n1(TOP + plotH / 2)}" transform="rotate(-90 10 ${n1(TOP + plotH / 2)})" text-anchor="middle">deploys (log scale)</text>`,
  );

  const bar = (
    s: Series,
    k: number,
    slotX: number,
    count: number,
    from: number,
    to: number,
    isZero = false,
  ) => {
    if (count <= 0) return;
    const what = isZero ? `no ${unit}` : `${binRange(from, to, scale)} ${unit}`;
    const h = heightOf(count);
    const w = barWidth(isZero ? zeroW : slotW);
    const x = slotX + 2 + k * w;
    parts.push(
      `<rect class="hist-bar${isZero ? " zero" : ""}" data-series="${esc(s.label)}" data-count="${count}" data-from="${from}" data-to="${to}" x="${n1(x)}" y="${n1(bottom - h)}" width="${n1(Math.max(1, w - 1))}" height="${n1(h)}" fill="${seriesColor(s.label, k)}"><title>${esc(s.label)}: ${int(count)} deploy${count === 1 ? "" : "s"} with ${what}</title></rect>`,
    );
    if (options.countLabels)
      parts.push(
        `<text class="count" x="${n1(x + w / 2)}" y="${n1(bottom - h - 3)}" text-anchor="middle">${int(count)}</text>`,
      );
  };

  series.forEach((s, k) => {
    if (hasZero) bar(s, k, LEFT, s.h.zero ?? 0, 0, 0, true);
    for (let i = 0; i < bins; i++)
      bar(s, k, binsX + i * slotW, s.h.counts[i] ?? 0, edges[i] as number, edges[i + 1] as number);
  });

  parts.push(`<line class="axis-line" x1="${LEFT}" x2="${W - RIGHT}" y1="${bottom}" y2="${bottom}" />`);
  if (hasZero) {
    const sep = LEFT + zeroW + ZERO_GAP / 2;
    parts.push(
      `<line class="zero-sep" x1="${n1(sep)}" x2="${n1(sep)}" y1="${TOP}" y2="${bottom + 4}" />`,
      `<text class="axis" x="${n1(LEFT + zeroW / 2)}" y="${bottom + 13}" text-anchor="middle">0</text>`,
    );
  }
  // Edge labels: every one on a log axis, about six on a linear one.
  const every = scale === "log" ? 1 : Math.max(1, Math.ceil(bins / 6));
  for (let i = 0; i <= bins; i += every) {
    parts.push(
      `<text class="axis" x="${n1(binsX + i * slotW)}" y="${bottom + 13}" text-anchor="middle">${edgeLabel(edges[i] as number, scale)}</text>`,
    );
  }
  parts.push(
    `<text class="axis" x="${W - RIGHT}" y="${bottom + 26}" text-anchor="end">${esc(unit)}${scale === "log" ? " (1-2-5 bins)" : ""}</text>`,
  );
  series.forEach((s, k) => {
    parts.push(
      `<rect x="${LEFT + k * 110}" y="${H - 12}" width="10" height="10" fill="${seriesColor(s.label, k)}" />`,
      `<text class="axis" x="${LEFT + 14 + k * 110}" y="${H - 3}">${esc(s.label)}</text>`,
    );
  });
  return `<svg class="histogram" data-scale="${scale}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${parts.join("")}</svg>`;
}
