/**
 * Renderers for a `SimulationResult`: a text summary and a self-contained HTML report (inline CSS and
 * SVG, no scripts, no network). Both are pure: they return a string.
 */
import type { ContainerTrace, RunTrace, TargetState, TaskTrace } from "./engine.js";
import type { Histogram, SimulationResult, Stats, VariantResult } from "./montecarlo.js";

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const sec = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} s` : "–");
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : "–");
const dec = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? int(x) : x.toFixed(1)) : "–");

interface Row {
  readonly label: string;
  readonly cell: (v: VariantResult) => string;
}

function rows(): Row[] {
  const s = (pick: (v: VariantResult) => Stats, f: (x: number) => string) => (v: VariantResult) => {
    const st = pick(v);
    return `${f(st.p50)} / ${f(st.p95)} / ${f(st.p99)} / ${f(st.max)}`;
  };
  return [
    { label: "failed requests per deploy, p50 / p95 / p99 / max", cell: s((v) => v.failedRequests, int) },
    { label: "failed requests per deploy, mean", cell: (v) => dec(v.failedRequests.mean) },
    {
      label: "deploys with failed requests",
      cell: (v) => `${int(v.deploysWithFailures)} (${pct(v.deploysWithFailures, v.runs)})`,
    },
    {
      label: "failed requests: 502 / 503",
      cell: (v) => `${int(v.requests.failed502)} / ${int(v.requests.failed503)}`,
    },
    {
      label: "requests sent / failed",
      cell: (v) =>
        `${int(v.requests.sent)} / ${int(v.requests.failed)} (${pct(v.requests.failed, v.requests.sent)})`,
    },
    { label: "deploy duration, p50 / p95 / p99 / max", cell: s((v) => v.deployDuration, sec) },
    { label: "deploys completed", cell: (v) => `${int(v.completed)} (${pct(v.completed, v.runs)})` },
    {
      label: "circuit breaker tripped / rolled back",
      cell: (v) => `${int(v.circuitBreakerTrips)} / ${int(v.rollbacks)}`,
    },
    {
      label: "router crashes (deploys with one)",
      cell: (v) => `${int(v.routerCrashes)} (${int(v.deploysWithRouterCrash)})`,
    },
    { label: "new tasks launched / failed", cell: (v) => `${int(v.tasksLaunched)} / ${int(v.tasksFailed)}` },
    { label: "tasks stopped before they took traffic", cell: (v) => int(v.tasksStoppedBeforeTraffic) },
    { label: "tasks stopped before registration", cell: (v) => int(v.tasksStoppedBeforeRegistration) },
    { label: "tasks failed by the gate (preflight exit ≠ 0)", cell: (v) => int(v.gateFailures) },
  ];
}

function planLine(v: VariantResult): string {
  const p = v.plan;
  const gate = p.gate ? `gate ${p.gate} (${p.gateKind})` : "no gate";
  return `${v.label}: ${p.containers.join(", ")}; router ${p.router ?? "none"}; ${gate}; target ${p.target}`;
}

/** A plain-text summary (monospace table, one column per variant). */
export function renderSummary(result: SimulationResult): string {
  const vs = result.variants;
  const head = [
    `Simulated ${int(result.completedRuns)} deploy${result.completedRuns === 1 ? "" : "s"}${vs.length > 1 ? " per variant" : ""} of scenario "${result.scenario}" (seed ${result.seed}) in ${(result.elapsedMs / 1000).toFixed(2)} s${result.workers > 1 ? ` on ${result.workers} workers` : ""}.`,
  ];
  if (result.interrupted)
    head.push(
      `Interrupted: ${int(result.completedRuns)} of ${int(result.runs)} runs done; figures cover those.`,
    );
  const table = rows().map((r) => [r.label, ...vs.map((v) => r.cell(v))]);
  const header = ["", ...vs.map((v) => v.label)];
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
    for (const n of v.plan.notes) lines.push(`  note: ${n}`);
  }
  return `${lines.join("\n")}\n`;
}

// ------------------------------------------------------------------------------------------ HTML

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const n2 = (x: number) => (Math.round(x * 10) / 10).toString();

const TARGET_COLORS: Record<TargetState, string> = {
  unregistered: "#e5e7eb",
  initial: "#fde68a",
  healthy: "#34d399",
  unhealthy: "#f97316",
  draining: "#93c5fd",
  gone: "#f3f4f6",
};

const ROLE_COLORS: Record<ContainerTrace["role"], string> = {
  router: "#6366f1",
  gate: "#a855f7",
  target: "#0ea5e9",
  other: "#64748b",
};

const MAX_TASKS = 40;

function timeline(trace: RunTrace, label: string): string {
  // A deploy that relaunches failing tasks for a long time would draw a page-long picture; the first tasks
  // tell the story.
  const tasks = trace.tasks.slice(0, MAX_TASKS);
  const end = Math.max(trace.endTime, trace.doneAt ?? 0, ...tasks.map((t) => t.stoppedAt ?? 0), 1);
  const left = 190;
  const width = 1100;
  const rowH = 14;
  const x = (t: number) => left + (Math.max(0, t) / end) * (width - left - 110);
  const parts: string[] = [];
  let y = 24;
  // Axis.
  const step = niceStep(end / 8);
  for (let t = 0; t <= end + 1e-9; t += step) {
    parts.push(
      `<line class="grid" x1="${n2(x(t))}" x2="${n2(x(t))}" y1="16" y2="100%" />`,
      `<text class="axis" x="${n2(x(t))}" y="12" text-anchor="middle">${n2(t)} s</text>`,
    );
  }
  if (trace.doneAt !== null) {
    parts.push(
      `<line class="done" x1="${n2(x(trace.doneAt))}" x2="${n2(x(trace.doneAt))}" y1="16" y2="100%"><title>steady state at ${n2(trace.doneAt)} s</title></line>`,
    );
  }
  if (trace.rollbackAt !== null) {
    parts.push(
      `<line class="rollback" x1="${n2(x(trace.rollbackAt))}" x2="${n2(x(trace.rollbackAt))}" y1="16" y2="100%"><title>circuit breaker: rollback at ${n2(trace.rollbackAt)} s</title></line>`,
    );
  }
  for (const task of tasks) {
    const stopped = task.stoppedAt ?? end;
    parts.push(
      `<text class="task-label" x="4" y="${y + 10}">task ${task.id} · ${task.version}${task.stopCause ? ` · ${esc(task.stopCause)}` : ""}</text>`,
    );
    y += rowH;
    // Target states.
    parts.push(`<text class="row-label" x="14" y="${y + 10}">ALB target</text>`);
    const states = task.target;
    for (let i = 0; i < states.length; i++) {
      const s = states[i];
      if (s === undefined) continue;
      const to = states[i + 1]?.t ?? (s.state === "gone" ? s.t : end);
      if (to <= s.t && s.state !== "gone") continue;
      const w = Math.max(1, x(to) - x(s.t));
      parts.push(
        `<rect class="target target-${s.state}" data-task="${task.id}" data-state="${s.state}" x="${n2(x(s.t))}" y="${y + 2}" width="${n2(w)}" height="${rowH - 4}" fill="${TARGET_COLORS[s.state]}"><title>${label} task ${task.id}: target ${s.state} from ${n2(s.t)} s</title></rect>`,
      );
    }
    for (const f of task.failures) {
      parts.push(
        `<circle class="failed" data-task="${task.id}" cx="${n2(x(f.t))}" cy="${y + rowH / 2}" r="${Math.min(7, 2.5 + Math.log10(1 + f.count) * 2)}"><title>${f.count} failed request${f.count === 1 ? "" : "s"} around ${n2(f.t)} s</title></circle>`,
      );
    }
    y += rowH;
    for (const c of task.containers) {
      parts.push(containerRow(task, c, y, rowH, x, stopped, end, label));
      y += rowH;
    }
    y += 6;
  }
  if (trace.tasks.length > tasks.length) {
    parts.push(
      `<text class="task-label more" x="4" y="${y + 10}">… and ${trace.tasks.length - tasks.length} more tasks not drawn</text>`,
    );
    y += rowH + 6;
  }
  const height = y + 8;
  return `<svg class="timeline" data-variant="${esc(label)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline ${esc(label)}">${parts.join("")}</svg>`;
}

function containerRow(
  task: TaskTrace,
  c: ContainerTrace,
  y: number,
  rowH: number,
  x: (t: number) => number,
  taskEnd: number,
  end: number,
  label: string,
): string {
  const out: string[] = [
    `<text class="row-label" x="14" y="${y + 10}">${esc(c.name)}${c.essential ? "" : " (non-essential)"}</text>`,
  ];
  const attrs = `data-task="${task.id}" data-container="${esc(c.name)}" data-role="${c.role}"`;
  const pulled = c.pulledAt ?? taskEnd;
  if (pulled > task.launchedAt) {
    out.push(
      `<rect class="phase pull" ${attrs} x="${n2(x(task.launchedAt))}" y="${y + 5}" width="${n2(Math.max(1, x(Math.min(pulled, c.stoppedAt ?? pulled)) - x(task.launchedAt)))}" height="${rowH - 10}"><title>${esc(c.name)}: pulling image</title></rect>`,
    );
  }
  if (c.startedAt !== null) {
    const stop = c.stoppedAt ?? end;
    const ready = c.readyAt ?? stop;
    const tip = `${label} task ${task.id} ${esc(c.name)}: started ${n2(c.startedAt)} s${c.readyAt !== null ? `, ready ${n2(c.readyAt)} s` : ""}${c.stoppedAt !== null ? `, stopped ${n2(c.stoppedAt)} s` : ""}${c.exitCode !== null ? `, exit ${c.exitCode}` : ""}${c.reason ? ` (${c.reason})` : ""}`;
    out.push(
      `<rect class="bar container role-${c.role}" ${attrs} data-exit="${c.exitCode ?? ""}" x="${n2(x(c.startedAt))}" y="${y + 2}" width="${n2(Math.max(1.5, x(stop) - x(c.startedAt)))}" height="${rowH - 4}" fill="${ROLE_COLORS[c.role]}" fill-opacity="${c.readyAt !== null ? 1 : 0.45}"><title>${tip}</title></rect>`,
    );
    if (ready > c.startedAt && c.readyAt !== null) {
      out.push(
        `<rect class="phase boot" ${attrs} x="${n2(x(c.startedAt))}" y="${y + 2}" width="${n2(Math.max(1, x(ready) - x(c.startedAt)))}" height="${rowH - 4}"><title>${esc(c.name)}: booting</title></rect>`,
      );
    }
  }
  if (c.stoppedAt !== null) {
    const text = c.exitCode !== null ? `${c.exitCode}` : "–";
    const cls =
      c.reason === "crashed"
        ? "exit crash"
        : c.reason === "CannotStartContainerError"
          ? "exit cannot"
          : "exit";
    out.push(
      `<text class="${cls}" x="${n2(x(c.stoppedAt) + 3)}" y="${y + 10}">${text}${c.reason && c.reason !== "exited" ? ` ${esc(c.reason)}` : ""}</text>`,
    );
  }
  return out.join("");
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function histogramSvg(
  title: string,
  unit: string,
  series: readonly { label: string; h: Histogram }[],
): string {
  const w = 480;
  const h = 200;
  const pad = 48;
  const colors = ["#ef4444", "#10b981", "#6366f1"];
  const allEdges = series.flatMap((s) => s.h.edges);
  const lo = Math.min(...allEdges, 0);
  const hi = Math.max(...allEdges, 1);
  const maxCount = Math.max(1, ...series.flatMap((s) => s.h.counts));
  const x = (v: number) => pad + ((v - lo) / (hi - lo || 1)) * (w - pad - 10);
  const yOf = (c: number) => h - pad - (Math.sqrt(c) / Math.sqrt(maxCount)) * (h - pad - 20);
  const parts: string[] = [
    `<text class="hist-title" x="${w / 2}" y="14" text-anchor="middle">${esc(title)}</text>`,
  ];
  series.forEach((s, k) => {
    const n = s.h.counts.length;
    for (let i = 0; i < n; i++) {
      const c = s.h.counts[i] ?? 0;
      if (c === 0) continue;
      const a = s.h.edges[i] ?? 0;
      const b = s.h.edges[i + 1] ?? a + 1;
      const bw = (x(b) - x(a)) / series.length;
      const bx = x(a) + k * bw;
      parts.push(
        `<rect class="hist-bar" data-series="${esc(s.label)}" x="${n2(bx)}" y="${n2(yOf(c))}" width="${n2(Math.max(1, bw - 1))}" height="${n2(h - pad - yOf(c))}" fill="${colors[k % colors.length]}"><title>${esc(s.label)}: ${c} deploys with ${n2(a)}–${n2(b)} ${unit}</title></rect>`,
      );
    }
  });
  parts.push(
    `<line class="axis-line" x1="${pad}" x2="${w - 10}" y1="${h - pad}" y2="${h - pad}" />`,
    `<text class="axis" x="${pad}" y="${h - pad + 14}">${n2(lo)}</text>`,
    `<text class="axis" x="${w - 10}" y="${h - pad + 14}" text-anchor="end">${n2(hi)} ${esc(unit)}</text>`,
    `<text class="axis" x="${pad - 4}" y="24" text-anchor="end">${maxCount}</text>`,
  );
  series.forEach((s, k) => {
    parts.push(
      `<rect x="${pad + 8 + k * 110}" y="${h - 14}" width="10" height="10" fill="${colors[k % colors.length]}" />`,
      `<text class="axis" x="${pad + 22 + k * 110}" y="${h - 5}">${esc(s.label)}</text>`,
    );
  });
  return `<svg class="histogram" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">${parts.join("")}</svg>`;
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#111827;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
p.meta{color:#4b5563;margin:0 0 16px}
table.summary{border-collapse:collapse;margin:8px 0}
table.summary th,table.summary td{border-bottom:1px solid #e5e7eb;padding:4px 10px;text-align:right}
table.summary th:first-child,table.summary td:first-child{text-align:left}
svg text{font:11px system-ui,sans-serif;fill:#374151}
svg .task-label{font-weight:600;fill:#111827}
svg .grid{stroke:#f3f4f6}svg .done{stroke:#059669;stroke-dasharray:4 3}svg .rollback{stroke:#dc2626;stroke-dasharray:4 3}
svg .phase.pull{fill:#d1d5db}svg .phase.boot{fill:#fff;fill-opacity:.45}
svg .failed{fill:#dc2626;fill-opacity:.85;stroke:#7f1d1d}
svg .exit{font-size:10px;fill:#374151}svg .exit.crash{fill:#b91c1c;font-weight:700}svg .exit.cannot{fill:#7c3aed}
svg .axis-line{stroke:#9ca3af}
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

/** One self-contained HTML file: summary table, timelines of the representative deploy, histograms. */
export function renderReport(result: SimulationResult): string {
  const vs = result.variants;
  const head = `<tr><th></th>${vs.map((v) => `<th>${esc(v.label)}</th>`).join("")}</tr>`;
  const body = rows()
    .map((r) => `<tr><td>${esc(r.label)}</td>${vs.map((v) => `<td>${esc(r.cell(v))}</td>`).join("")}</tr>`)
    .join("");
  const timelines = vs
    .map((v) =>
      v.trace
        ? `<section class="variant" data-variant="${esc(v.label)}"><h2>Deploy #${result.representative ?? 0}, ${esc(v.label)}</h2><p class="meta">${esc(planLine(v))}. Failed requests in this deploy: ${int(v.trace.result.failed)} (502: ${int(v.trace.result.failed502)}, 503: ${int(v.trace.result.failed503)}); router crashes: ${v.trace.result.routerCrashes}.</p>${timeline(v.trace, v.label)}</section>`
        : "",
    )
    .join("");
  const hists = `<div class="hists">${histogramSvg(
    "failed requests per deploy (√ scale)",
    "requests",
    vs.map((v) => ({ label: v.label, h: v.histograms.failedRequests })),
  )}${histogramSvg(
    "deploy duration (√ scale)",
    "s",
    vs.map((v) => ({ label: v.label, h: v.histograms.deployDuration })),
  )}</div>`;
  const notes = vs.flatMap((v) => v.plan.notes.map((n) => `${v.label}: ${n}`));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>firelens-preflight simulate: ${esc(result.scenario)}</title>
<style>${CSS}</style></head>
<body>
<h1>Deploy simulation: ${esc(result.scenario)}</h1>
${result.description ? `<p>${esc(result.description)}</p>` : ""}
<p class="meta">${int(result.completedRuns)} deploys${vs.length > 1 ? " per variant, same seeds" : ""}, seed ${result.seed}${result.interrupted ? ` (interrupted after ${int(result.completedRuns)} of ${int(result.runs)})` : ""}.</p>
<table class="summary">${head}${body}</table>
${notes.length > 0 ? `<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
<h2>Histograms over all runs</h2>
${hists}
${legend()}
${timelines}
</body></html>
`;
}
