/**
 * The rehearsal's verdict and report: what a person reads first (did the router survive its first flush and the
 * traffic after it, or how did it die), then the router's exit status and the tail of its log, what the gate
 * said, which record shapes were sent, what each destination received, and the time taken. Exit codes are the
 * probe's: 0 verified, 1 failed (a crash included), 2 bad configuration, 3 router never reachable.
 */
import { PROBE_EXIT } from "../probe/contract.js";
import type { Destination } from "./destinations.js";
import type { RehearsePlan } from "./plan.js";

interface Received {
  readonly requests: number;
  readonly records: number;
  readonly bytes: number;
  readonly gzip: number;
  readonly paths: readonly string[];
}

export interface SidecarEvents {
  /** When destinations received their first requests (ms after the rehearsal's start, on the host's clock). */
  deliveriesAtMs: number[];
  /** When a destination received the stress chunk's records (host clock). */
  stressDeliveredAtMs?: number;
  probe?: {
    readonly exit: number | null;
    readonly ms: number;
    readonly result: Record<string, unknown> | null;
    readonly stderr: string;
    readonly hostAtMs: number;
  };
  stress: {
    readonly tag: string;
    readonly shapes: readonly string[];
    readonly acked: boolean;
    readonly ms: number;
    readonly hostAtMs: number;
  }[];
  soak?: {
    readonly sent: number;
    readonly acked: number;
    readonly failure: string | null;
    readonly ms: number;
    readonly hostAtMs: number;
  };
  destinations?: { readonly intake: Received; readonly sink: Received };
}

export type Outcome = "survived" | "crashed" | "failed" | "bad-config" | "unreachable" | "interrupted";

export interface RehearseReport {
  readonly verdict: string;
  readonly outcome: Outcome;
  readonly exitCode: number;
  readonly router: {
    readonly container: string;
    readonly image: string;
    readonly engine: string;
    /** The exit code the engine reported (139 SIGSEGV, 134 SIGABRT), or null while it still ran. */
    readonly exitCode: number | null;
    readonly signal: string | null;
    /** When it ended, ms after the rehearsal's start. */
    readonly endedAtMs: number | null;
    readonly logTail: readonly string[];
  };
  readonly gate: NonNullable<SidecarEvents["probe"]> | null;
  readonly stress: SidecarEvents["stress"];
  readonly soak: NonNullable<SidecarEvents["soak"]> | null;
  readonly destinations: {
    readonly outputs: readonly Destination[];
    readonly intake: Received | null;
    readonly sink: Received | null;
  };
  readonly config: { readonly path: string; readonly text: string };
  /** The router's secret variables: given with --secret, or a dummy. Never their values. */
  readonly secrets: readonly { readonly variable: string; readonly given: boolean }[];
  readonly notes: readonly string[];
  readonly timings: { readonly routerStartedMs: number; readonly totalMs: number };
}

export interface JudgeInput {
  readonly plan: RehearsePlan;
  readonly image: string;
  readonly engine: string;
  readonly routerExit: { readonly code: number | null; readonly atMs: number } | undefined;
  readonly routerStartMs: number;
  readonly events: SidecarEvents;
  readonly logTail: readonly string[];
  readonly interrupted: boolean;
  readonly sidecarError: string;
  readonly soakMs: number;
  readonly gateOnly: boolean;
  readonly totalMs: number;
}

const SIGNAL_NAMES: Record<number, string> = { 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM" };

function signalOf(code: number | null): string | null {
  if (code === null || code <= 128) return null;
  return SIGNAL_NAMES[code - 128] ?? `signal ${code - 128}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function judge(input: JudgeInput): RehearseReport {
  const { events, routerExit } = input;
  const probe = events.probe;
  const exitCode = routerExit?.code ?? null;
  const signal = signalOf(exitCode);
  const reason = typeof probe?.result?.reason === "string" ? probe.result.reason : undefined;
  let outcome: Outcome;
  let verdict: string;
  let code: number;
  if (input.interrupted) {
    outcome = "interrupted";
    verdict = "rehearsal interrupted: every container it started was removed";
    code = 130;
  } else if (routerExit !== undefined && signal !== null) {
    outcome = "crashed";
    code = PROBE_EXIT.failed;
    const firstStress = events.stress[0];
    // A flush crash happens at (or right after) the request that flush makes: a death with at most one request
    // received, before the shake-down began, is a death on the first flush.
    const before = events.deliveriesAtMs.filter((t) => t <= routerExit.atMs).length;
    // The engine reports an exit a moment late: a stress chunk the router could no longer take means it was
    // already gone.
    if (firstStress === undefined || !firstStress.acked || routerExit.atMs < firstStress.hostAtMs) {
      verdict =
        before <= 1
          ? `router crashed on its first flush: ${signal}`
          : `router crashed during the gate, after its first flush: ${signal}`;
    } else if (events.stressDeliveredAtMs === undefined || routerExit.atMs < events.stressDeliveredAtMs) {
      // Buffered, never delivered: the flush that carried the mixed shapes is the one that killed it.
      verdict = `router crashed on the first flush of the shake-down's mixed-shape chunk: ${signal}`;
    } else {
      verdict = `router crashed after ${seconds(routerExit.atMs - firstStress.hostAtMs)} of traffic: ${signal}`;
    }
  } else if (routerExit !== undefined && probe === undefined) {
    outcome = "bad-config";
    code = PROBE_EXIT.badConfiguration;
    verdict = `router stopped at start (exit ${String(exitCode)}): read its log below`;
  } else if (probe === undefined) {
    outcome = "failed";
    code = PROBE_EXIT.failed;
    verdict = `the rehearsal's sidecar did not run the gate${input.sidecarError === "" ? "" : `: ${input.sidecarError}`}`;
  } else if (probe.exit !== PROBE_EXIT.verified) {
    code = probe.exit ?? PROBE_EXIT.failed;
    outcome =
      code === PROBE_EXIT.unreachable
        ? "unreachable"
        : code === PROBE_EXIT.badConfiguration
          ? "bad-config"
          : "failed";
    const what =
      code === PROBE_EXIT.unreachable
        ? "router never became reachable"
        : code === PROBE_EXIT.badConfiguration
          ? "the gate's configuration is wrong"
          : "the gate failed";
    verdict = `${what}${reason === undefined ? "" : `: ${reason}`}`;
    if (routerExit !== undefined) verdict += ` (router exited ${String(exitCode)})`;
  } else if (events.soak?.failure) {
    outcome = "failed";
    code = PROBE_EXIT.failed;
    verdict = `router passed the gate, then ${events.soak.failure}`;
  } else if (routerExit !== undefined) {
    outcome = "failed";
    code = PROBE_EXIT.failed;
    verdict = `router exited ${String(exitCode)} during the rehearsal`;
  } else {
    outcome = "survived";
    code = PROBE_EXIT.verified;
    const level = typeof probe.result?.level === "string" ? ` (gate: ${probe.result.level})` : "";
    verdict = input.gateOnly
      ? `router passed the gate${level}; shake-down skipped (--gate-only)`
      : `router survived its first flush and ${seconds(input.soakMs).replace(/\.0 s$/, " s")} of traffic${level}`;
  }
  return {
    verdict,
    outcome,
    exitCode: code,
    router: {
      container: input.plan.router,
      image: input.image,
      engine: input.engine,
      exitCode,
      signal,
      endedAtMs: routerExit?.atMs ?? null,
      logTail: input.logTail,
    },
    gate: probe ?? null,
    stress: events.stress,
    soak: events.soak ?? null,
    destinations: {
      outputs: input.plan.destinations,
      intake: events.destinations?.intake ?? null,
      sink: events.destinations?.sink ?? null,
    },
    config: { path: "/fluent-bit/etc/fluent-bit.conf", text: input.plan.configText },
    secrets: input.plan.secrets.map((s) => ({ variable: s.variable, given: s.given })),
    notes: input.plan.notes,
    timings: { routerStartedMs: input.routerStartMs, totalMs: input.totalMs },
  };
}

/** The report for a person: the verdict first. */
export function renderRehearseText(r: RehearseReport): string {
  const out: string[] = [r.verdict, ""];
  const status =
    r.router.exitCode === null
      ? "still running at the end (removed by rehearse)"
      : `exited ${r.router.exitCode}${r.router.signal === null ? "" : ` (${r.router.signal})`} at ${seconds(r.router.endedAtMs ?? 0)}`;
  out.push(`router    ${r.router.container}: ${r.router.image} on ${r.router.engine}, ${status}`);
  if (r.gate !== null) {
    const level = typeof r.gate.result?.level === "string" ? `, level ${r.gate.result.level}` : "";
    const reason = typeof r.gate.result?.reason === "string" ? `: ${r.gate.result.reason}` : "";
    out.push(`gate      probe exit ${String(r.gate.exit)}${level} in ${seconds(r.gate.ms)}${reason}`);
  }
  if (r.stress.length > 0) {
    out.push(`shake-down one chunk per app tag, ${r.stress[0]?.shapes.length ?? 0} shapes:`);
    for (const s of r.stress[0]?.shapes ?? []) out.push(`            - ${s}`);
    for (const s of r.stress)
      out.push(`            ${s.tag}: ${s.acked ? "acknowledged" : "not acknowledged"}`);
  }
  if (r.soak !== null) {
    out.push(
      `soak      ${r.soak.acked}/${r.soak.sent} app-shaped records acknowledged in ${seconds(r.soak.ms)}${r.soak.failure ? `; ${r.soak.failure}` : ""}`,
    );
  }
  for (const d of r.destinations.outputs) {
    const where =
      d.kind === "intake"
        ? "fake Datadog intake"
        : d.kind === "sink"
          ? "local sink"
          : d.kind === "local"
            ? "stays local"
            : d.real
              ? "real destination"
              : "not covered (null)";
    out.push(`output    ${d.plugin} ${d.match} → ${where}`);
  }
  const recv = (name: string, x: Received | null) => {
    if (x !== null && (x.requests > 0 || name === "intake"))
      out.push(
        `received  ${name}: ${x.requests} requests, ${x.records} records, ${x.bytes} bytes${x.gzip > 0 ? ` (${x.gzip} gzip)` : ""}${x.paths.length > 0 ? `, ${x.paths.join(", ")}` : ""}`,
      );
  };
  recv("intake", r.destinations.intake);
  recv("sink", r.destinations.sink);
  for (const s of r.secrets) out.push(`secret    ${s.variable}: ${s.given ? "given (--secret)" : "a dummy"}`);
  for (const n of r.notes) out.push(`note      ${n}`);
  out.push(
    `time      ${seconds(r.timings.totalMs)} (router started at ${seconds(r.timings.routerStartedMs)})`,
  );
  if (r.router.logTail.length > 0) {
    out.push("", "router log (tail):");
    for (const l of r.router.logTail.slice(-20)) out.push(`  ${l}`);
  }
  return `${out.join("\n")}\n`;
}
