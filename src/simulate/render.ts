/**
 * Renderers for a `SimulationResult`: a text summary and a self-contained HTML report (inline CSS and
 * SVG, no scripts, no network). Both are pure (they return a string) and both open with the same
 * sentence (headline.ts). Names from documents are shown with control characters escaped.
 */

import { html as esc, int, percent, printable, seconds } from "./format.js";
import { headline } from "./headline.js";
import { histogramSvg, seriesColor } from "./histogram-svg.js";
import type { SimulationResult, Stats, VariantResult } from "./montecarlo.js";
import { ROLE_COLORS, TARGET_COLORS, timeline } from "./timeline-svg.js";

const decimal = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? int(x) : x.toFixed(1)) : "–");

/** One figure in a table cell; `better` says which way is good, when there is a good way. */
interface Figure {
  readonly text: string;
  readonly value: number;
  readonly better?: "lower" | "higher";
}

interface Row {
  readonly label: string;
  readonly figures: (v: VariantResult) => readonly Figure[];
}

const lower = (text: string, value: number): Figure => ({ text, value, better: "lower" });
const higher = (text: string, value: number): Figure => ({ text, value, better: "higher" });
const neutral = (text: string, value: number): Figure => ({ text, value });

function quantiles(st: Stats, f: (x: number) => string): Figure[] {
  return [st.p50, st.p95, st.p99, st.max].map((x) => lower(f(x), x));
}

const ROWS: readonly Row[] = [
  {
    label: "failed requests per deploy, p50 / p95 / p99 / max",
    figures: (v) => quantiles(v.failedRequests, int),
  },
  {
    label: "failed requests per deploy, mean",
    figures: (v) => [lower(decimal(v.failedRequests.mean), v.failedRequests.mean)],
  },
  {
    label: "deploys with failed requests",
    figures: (v) => [
      lower(
        `${int(v.deploysWithFailures)} (${percent(v.deploysWithFailures, v.runs)})`,
        v.deploysWithFailures,
      ),
    ],
  },
  {
    label: "failed requests: 502 / 503",
    figures: (v) => [
      lower(int(v.requests.failed502), v.requests.failed502),
      lower(int(v.requests.failed503), v.requests.failed503),
    ],
  },
  {
    label: "requests sent / failed",
    figures: (v) => [
      neutral(int(v.requests.sent), v.requests.sent),
      lower(`${int(v.requests.failed)} (${percent(v.requests.failed, v.requests.sent)})`, v.requests.failed),
    ],
  },
  {
    label: "deploy duration, p50 / p95 / p99 / max",
    figures: (v) => quantiles(v.deployDuration, seconds),
  },
  {
    label: "deploys completed",
    figures: (v) => [higher(`${int(v.completed)} (${percent(v.completed, v.runs)})`, v.completed)],
  },
  {
    label: "circuit breaker tripped / rolled back",
    figures: (v) => [
      lower(int(v.circuitBreakerTrips), v.circuitBreakerTrips),
      lower(int(v.rollbacks), v.rollbacks),
    ],
  },
  {
    label: "router crashes (deploys with one)",
    figures: (v) => [neutral(`${int(v.routerCrashes)} (${int(v.deploysWithRouterCrash)})`, v.routerCrashes)],
  },
  {
    label: "new tasks launched / failed",
    figures: (v) => [
      neutral(int(v.tasksLaunched), v.tasksLaunched),
      neutral(int(v.tasksFailed), v.tasksFailed),
    ],
  },
  {
    label: "tasks stopped before they took traffic",
    figures: (v) => [neutral(int(v.tasksStoppedBeforeTraffic), v.tasksStoppedBeforeTraffic)],
  },
  {
    label: "tasks stopped before registration",
    figures: (v) => [neutral(int(v.tasksStoppedBeforeRegistration), v.tasksStoppedBeforeRegistration)],
  },
  {
    label: "tasks hung before RUNNING (never stopped)",
    figures: (v) => [lower(int(v.tasksHung), v.tasksHung)],
  },
  {
    label: "tasks failed by the gate (preflight exit ≠ 0)",
    figures: (v) => [neutral(int(v.gateFailures), v.gateFailures)],
  },
];

/** How a figure compares with the same figure of the other variant: "better", "worse" or "" (same, or no way is good). */
function mark(f: Figure, others: readonly (Figure | undefined)[]): "better" | "worse" | "" {
  if (f.better === undefined || !Number.isFinite(f.value)) return "";
  const values = others
    .map((o) => o?.value)
    .filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (values.length === 0 || values.every((x) => x === f.value)) return "";
  const best = f.better === "lower" ? Math.min(f.value, ...values) : Math.max(f.value, ...values);
  return f.value === best ? "better" : "worse";
}

function planLine(v: VariantResult): string {
  const p = v.plan;
  const gate = p.gate ? `gate ${p.gate} (${p.gateKind})` : "no gate";
  return printable(
    `${v.label}: ${p.containers.join(", ")}; router ${p.router ?? "none"}; ${gate}; target ${p.target}`,
  );
}

function runLine(result: SimulationResult): string {
  const vs = result.variants;
  const runs = `${int(result.completedRuns)} deploy${result.completedRuns === 1 ? "" : "s"}${vs.length > 1 ? " per variant" : ""}`;
  const where = result.workers > 1 ? ` on ${result.workers} workers` : "";
  return `Simulated ${runs} of scenario "${printable(result.scenario)}" (seed ${result.seed}) in ${(result.elapsedMs / 1000).toFixed(2)} s${where}.`;
}

/**
 * One line per router with a known first-flush crash (once, however many variants share it): the pointer at
 * `rehearse`, which runs that router on the machine and shows the crash before a deploy does.
 */
export function rehearseLines(result: SimulationResult, file = "<task definition>"): string[] {
  const lines = new Set<string>();
  for (const v of result.variants)
    for (const c of v.plan.knownFirstFlushCrashes)
      lines.add(
        printable(
          `router ${c.image} has a known first-flush crash (${c.version}: ${c.bugs.join(", ")}): run \`firelens-preflight rehearse ${file}\` to see it before deploying`,
        ),
      );
  return [...lines];
}

/**
 * A plain-text summary: the headline, then a monospace table with one column per variant. `file` names the task
 * definition in the pointer at `rehearse` (a router with a known first-flush crash).
 */
export function renderSummary(result: SimulationResult, file?: string): string {
  const vs = result.variants;
  const head = [headline(result), "", runLine(result)];
  if (result.interrupted)
    head.push(
      `Interrupted: ${int(result.completedRuns)} of ${int(result.runs)} runs done; figures cover those.`,
    );
  const table = ROWS.map((r) => [
    r.label,
    ...vs.map((v) =>
      r
        .figures(v)
        .map((f) => f.text)
        .join(" / "),
    ),
  ]);
  const header = ["", ...vs.map((v) => printable(v.label))];
  const all = [header, ...table];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("   ")
      .trimEnd();
  const lines = [...head, "", fmt(header), ...table.map(fmt), ""];
  for (const v of vs) {
    lines.push(planLine(v));
    for (const n of v.plan.notes) lines.push(`  note: ${printable(n)}`);
  }
  const rehearse = rehearseLines(result, file);
  if (rehearse.length > 0) lines.push("", ...rehearse);
  return `${lines.join("\n")}\n`;
}

// ------------------------------------------------------------------------------------------ HTML

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#111827;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
p.headline{font-size:17px;font-weight:600;max-width:70em;margin:12px 0}
p.meta{color:#4b5563;margin:0 0 16px}
table.summary{border-collapse:collapse;margin:8px 0}
table.summary th,table.summary td{border-bottom:1px solid #e5e7eb;padding:4px 10px;text-align:right}
table.summary th:first-child,table.summary td:first-child{text-align:left}
.better{color:#047857;font-weight:700}.worse{color:#b91c1c;font-weight:700}
svg text{font:11px system-ui,sans-serif;fill:#374151}
svg .task-label{font-weight:600;fill:#111827}
svg .grid{stroke:#f3f4f6}svg .done{stroke:#059669;stroke-dasharray:4 3}svg .rollback{stroke:#dc2626;stroke-dasharray:4 3}
svg .phase.pull{fill:#d1d5db}svg .phase.boot{fill:#fff;fill-opacity:.45}
svg .failed{fill:#dc2626;fill-opacity:.85;stroke:#7f1d1d}
svg .exit{font-size:10px;fill:#374151}svg .exit.crash{fill:#b91c1c;font-weight:700}svg .exit.cannot{fill:#7c3aed}
svg .axis-line{stroke:#9ca3af}svg .zero-sep{stroke:#6b7280;stroke-dasharray:3 3}
svg .hist-title{font-weight:600}svg .count{font-size:9px;fill:#111827}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle}
.hists{display:flex;flex-wrap:wrap;gap:16px}
ul.notes{color:#4b5563}
`;

function legend(): string {
  const items = [
    ...Object.entries(ROLE_COLORS).map(([role, color]) => [`container: ${role}`, color] as const),
    ...(["initial", "healthy", "unhealthy", "draining"] as const).map(
      (s) => [`target ${s}`, TARGET_COLORS[s]] as const,
    ),
    ["failed requests", "#dc2626"] as const,
  ];
  return `<p class="legend">${items.map(([l, c]) => `<span><i style="background:${c}"></i>${esc(l)}</span>`).join("")}</p>`;
}

function summaryTable(vs: readonly VariantResult[]): string {
  const head = `<tr><th></th>${vs.map((v, k) => `<th style="color:${seriesColor(v.label, k)}">${esc(v.label)}</th>`).join("")}</tr>`;
  const body = ROWS.map((r) => {
    const figures = vs.map((v) => r.figures(v));
    const cells = figures.map((fs, k) => {
      const others = figures.filter((_, j) => j !== k);
      const spans = fs.map((f, i) => {
        const cls = mark(
          f,
          others.map((o) => o[i]),
        );
        return cls ? `<span class="${cls}">${esc(f.text)}</span>` : esc(f.text);
      });
      return `<td>${spans.join(" / ")}</td>`;
    });
    return `<tr><td>${esc(r.label)}</td>${cells.join("")}</tr>`;
  }).join("");
  return `<table class="summary">${head}${body}</table>`;
}

function timelines(result: SimulationResult): string {
  return result.variants
    .map((v) => {
      if (!v.trace) return "";
      const r = v.trace.result;
      const meta = `${esc(planLine(v))}. Failed requests in this deploy: ${int(r.failed)} (502: ${int(r.failed502)}, 503: ${int(r.failed503)}); router crashes: ${r.routerCrashes}.`;
      return `<section class="variant" data-variant="${esc(v.label)}"><h2>Deploy #${result.representative ?? 0}, ${esc(v.label)}</h2><p class="meta">${meta}</p>${timeline(v.trace, v.label)}</section>`;
    })
    .join("");
}

/** One self-contained HTML file: headline, summary table, histograms, timelines of the representative deploy. */
export function renderReport(result: SimulationResult): string {
  const vs = result.variants;
  const hists = `<div class="hists">${histogramSvg(
    "failed requests per deploy",
    "failed requests",
    vs.map((v) => ({ label: v.label, h: v.histograms.failedRequests })),
    { countLabels: true },
  )}${histogramSvg(
    "deploy duration",
    "seconds",
    vs.map((v) => ({ label: v.label, h: v.histograms.deployDuration })),
    { countLabels: false },
  )}</div>`;
  const notes = vs.flatMap((v) => v.plan.notes.map((n) => `${v.label}: ${n}`));
  const interrupted = result.interrupted
    ? ` (interrupted after ${int(result.completedRuns)} of ${int(result.runs)})`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>firelens-preflight simulate: ${esc(result.scenario)}</title>
<style>${CSS}</style></head>
<body>
<h1>Deploy simulation: ${esc(result.scenario)}</h1>
<p class="headline">${esc(headline(result))}</p>
${result.description ? `<p>${esc(result.description)}</p>` : ""}
<p class="meta">${int(result.completedRuns)} deploys${vs.length > 1 ? " per variant, same seeds" : ""}, seed ${result.seed}${interrupted}.</p>
${summaryTable(vs)}
${notes.length > 0 ? `<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
<h2>Histograms over all runs</h2>
${hists}
${legend()}
${timelines(result)}
</body></html>
`;
}
