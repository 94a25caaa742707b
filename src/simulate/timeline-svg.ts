/**
 * The timeline of one traced deploy as inline SVG: per task, the ALB target's states and the failed
 * requests on one row, then one row per container (pull, boot, run, exit code and reason).
 */
import type { ContainerTrace, RunTrace, TargetState, TaskTrace } from "./engine.js";
import { html as esc } from "./format.js";

const n2 = (x: number) => (Math.round(x * 10) / 10).toString();

export const TARGET_COLORS: Record<TargetState, string> = {
  unregistered: "#e5e7eb",
  initial: "#fde68a",
  healthy: "#34d399",
  unhealthy: "#f97316",
  draining: "#93c5fd",
  gone: "#f3f4f6",
};

export const ROLE_COLORS: Record<ContainerTrace["role"], string> = {
  router: "#6366f1",
  gate: "#a855f7",
  target: "#0ea5e9",
  other: "#64748b",
};

const MAX_TASKS = 40;

export function timeline(trace: RunTrace, label: string): string {
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
      `<text class="task-label" x="4" y="${y + 10}">task ${task.id} · ${task.version}${task.stopCause ? ` · ${esc(task.stopCause)}` : ""}${task.hungAt !== null && task.stopCause === null ? " · hung before RUNNING" : ""}</text>`,
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
