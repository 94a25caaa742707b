/**
 * The monitor watcher: polls Fluent Bit's monitoring server for the whole run and keeps what it showed: whether
 * anything answers, the version, the baseline taken before the send, the latest judgement of the outputs
 * (verdict.ts), and signs that the router died or restarted. The run reads these fields; the watcher wakes it
 * whenever they may have changed.
 *
 * Nothing here waits for the router's first snapshot: the first metrics request goes out when the run starts,
 * before the send, so its answer is a valid baseline whenever it arrives, and a 404 means "no snapshot yet",
 * so every counter is still zero (test/fixtures/fluent-bit/README.md item 4).
 */
import { sleep } from "./forward.js";
import { type Answer, type MetricsSnapshot, MonitorClient } from "./monitor.js";
import { type Assessment, assess, uptimeWentBackwards, zeroBaseline } from "./verdict.js";

/** What the watcher needs to know of the send, read at each answer. */
export interface SendProgress {
  /** When the first record went out (ms into the run), null before. */
  readonly sentAt: number | null;
  /** Records written so far. */
  readonly sent: number;
}

export interface WatcherTiming {
  readonly pollMs: number;
  readonly uptimeEveryMs: number;
  readonly requestTimeoutMs: number;
  /** How long counters must stay below what they were before that counts as a restart. */
  readonly restartConfirmMs: number;
}

export type BaselineKind = "snapshot" | "not-yet" | "late";

export class MonitorWatcher {
  /** Some request got an HTTP answer. */
  answered = false;
  /** The monitor port accepted a connection, even if no answer came in time: a server is there. */
  listening = false;
  lastError: string | null = null;
  /** Nothing listens any more where a server had answered: the router process is gone. */
  gone: string | null = null;
  version: string | null = null;
  baselineKind: BaselineKind | null = null;
  metricsSource: "v1" | "v2" = "v1";
  /** Why the server has no usable metrics, while it has none. */
  metricsUnavailable: string | null = null;
  sawSnapshot = false;
  /** The latest judgement of the outputs against the baseline, once records were sent. */
  assessment: Assessment | null = null;
  /** Why the router is known to have restarted, once it is. */
  restarted: string | null = null;

  private readonly client: MonitorClient;
  private readonly stopped = new AbortController();
  private baseline: MetricsSnapshot | null = null;
  private restartSuspectSince: number | null = null;
  private lastUptime: number | null = null;

  constructor(
    base: URL,
    private readonly timing: WatcherTiming,
    /** Milliseconds into the run. */
    private readonly elapsed: () => number,
    private readonly progress: SendProgress,
    /** Called whenever what the watcher holds may have changed. */
    private readonly onChange: () => void,
  ) {
    this.client = new MonitorClient(base, { timeoutMs: timing.requestTimeoutMs });
  }

  start(): void {
    this.loop().catch(() => {});
  }

  close(): void {
    this.stopped.abort();
    this.client.close();
  }

  private async loop(): Promise<void> {
    const stop = this.stopped.signal;
    const client = this.client;
    let lastUptimeAt = Number.NEGATIVE_INFINITY;
    let buildInfoDone = false;
    let uptimeAvailable = true;
    while (!stop.aborted) {
      let urgent = false;
      const issuedBeforeSend = this.progress.sentAt === null;
      const metricsReq = this.metricsSource === "v1" ? client.metricsV1(stop) : client.metricsV2(stop);
      const infoReq = buildInfoDone ? null : client.buildInfo(stop);
      const [metrics, info] = await Promise.all([metricsReq, infoReq]);
      if (stop.aborted) break;
      if (info) {
        if (info.kind === "ok") this.version = info.value.version;
        if (info.kind !== "unreachable") buildInfoDone = true;
        urgent ||= this.noteReachability(info);
      }
      urgent ||= this.noteReachability(metrics);
      this.onMetrics(metrics, issuedBeforeSend);
      if (metrics.kind === "not-yet" && this.metricsSource === "v1" && (this.lastUptime ?? 0) >= 3) {
        // v1 should have had a snapshot by now; a router without it may still serve v2 (newer releases).
        const v2 = await client.metricsV2(stop);
        if (v2.kind === "ok") {
          this.metricsSource = "v2";
          this.onMetrics(v2, false);
        }
      }
      if (uptimeAvailable && this.elapsed() - lastUptimeAt >= this.timing.uptimeEveryMs) {
        lastUptimeAt = this.elapsed();
        const up = await client.uptime(stop);
        if (stop.aborted) break;
        urgent ||= this.noteReachability(up);
        if (up.kind === "ok") this.onUptime(up.value);
        else if (up.kind === "not-this-endpoint") uptimeAvailable = false;
      }
      this.onChange();
      if (!urgent) await sleep(this.timing.pollMs, stop).catch(() => {});
    }
  }

  /** Tracks whether the server answers; returns true when the next poll should come at once. */
  private noteReachability(a: Answer<unknown>): boolean {
    if (a.kind !== "unreachable") {
      this.answered = true;
      this.lastError = null;
      return false;
    }
    if (a.listening) this.listening = true;
    if (a.code === "EABORTED") return false;
    this.lastError = a.code;
    // After the server has answered, nothing listening on its port means the process is gone: Fluent Bit's
    // monitoring server lives and dies with the router. A reset or timeout alone is not proof; look again now.
    if (this.answered && a.refused) {
      this.gone = a.code;
      this.onChange();
      return false;
    }
    return this.answered;
  }

  private onMetrics(m: Answer<MetricsSnapshot>, issuedBeforeSend: boolean): void {
    if (m.kind === "not-yet") {
      if (this.sawSnapshot) {
        // Snapshots do not un-publish themselves, so a lasting 404 after one is a new process. A passing one
        // is not: Fluent Bit's HTTP server runs several workers, each with its own copy of the snapshot,
        // and they receive a new one a moment apart.
        this.suspectRestart("the metrics endpoint lost its snapshot (404 after data) — the router restarted");
        return;
      }
      if (this.baseline === null || issuedBeforeSend) {
        this.baseline = zeroBaseline();
        this.baselineKind = "not-yet";
      }
      return;
    }
    if (m.kind === "not-this-endpoint") {
      if (this.metricsSource === "v1") this.metricsSource = "v2";
      else this.metricsUnavailable = m.detail;
      return;
    }
    if (m.kind !== "ok") return;
    this.sawSnapshot = true;
    this.metricsUnavailable = null;
    // A snapshot's uptime is up to a second old: never compared with the live /api/v1/uptime (it would look
    // like going backwards); it only stands in while no live answer came.
    if (m.value.uptimeSec !== null && this.lastUptime === null) this.lastUptime = m.value.uptimeSec;
    if (issuedBeforeSend) {
      // The latest answer before the send is the baseline: failures while the probe waited (for the agent,
      // say) are not the probe's records' failures.
      this.baseline = m.value;
      this.baselineKind = "snapshot";
    } else if (this.baseline === null) {
      // First heard after the send: the snapshot may already hold our records, so count from the router's start.
      this.baseline = zeroBaseline();
      this.baselineKind = "late";
    }
    if (this.progress.sentAt !== null && this.baseline !== null) {
      const a = assess(this.baseline, m.value, this.progress.sent);
      // Counters going backwards for a moment can be a worker still serving the previous snapshot; going
      // backwards for good is a restart. Either way the earlier judgement stands meanwhile.
      if (a.kind === "restarted") {
        this.suspectRestart(a.reason);
        return;
      }
      this.assessment = a;
    }
    this.restartSuspectSince = null;
  }

  private suspectRestart(reason: string): void {
    const now = this.elapsed();
    if (this.restartSuspectSince === null) this.restartSuspectSince = now;
    else if (now - this.restartSuspectSince >= this.timing.restartConfirmMs) this.restarted = reason;
  }

  private onUptime(sec: number): void {
    if (uptimeWentBackwards(this.lastUptime, sec)) {
      this.restarted = `the router's uptime went backwards (${this.lastUptime} s → ${sec} s) — the router restarted`;
    }
    this.lastUptime = sec;
  }
}
