/**
 * What differs between the Fluent Bit versions the test router impersonates, each item taken from the recordings
 * in test/fixtures/fluent-bit/ (see its README for what they showed).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type RouterVersion = "1.8.3" | "1.9.10" | "4.2.8";
export const ROUTER_VERSIONS: readonly RouterVersion[] = ["1.8.3", "1.9.10", "4.2.8"];

export interface Personality {
  readonly version: RouterVersion;
  /** Content type of JSON answers (`GET /`, uptime, metrics): 1.8.3 sent none at all. */
  readonly jsonContentType: string | null;
  /** Paths the server knows; everything else falls through to the build-info handler on every version. */
  readonly hasV2Metrics: boolean;
  /** 4.x registers /api/v1/storage (storage metrics on by default) and answers 404 until its first 5 s sample. */
  readonly hasStorageMetrics: boolean;
  /** fluent-bit#3983: /api/v1/health asked before the first metrics push dereferences NULL (fixed in 1.8.7). */
  readonly healthCrashesBeforeFirstPush: boolean;
  /** 1.8.x puts the API key in the path; 1.9.6+ posts to /api/v2/logs with a DD-API-KEY header. */
  readonly datadogV2Endpoint: boolean;
  /** 4.x defaults dd_message_key to `log` and renames it to `message`. */
  readonly renamesLogToMessage: boolean;
  /** Extra bytes per event in a chunk: 4.x stores [[time, metadata], record] with an EventTime. */
  readonly eventOverheadBytes: number;
  /** How the `provider ecs` remapped-tags bug ends on the trigger chunk (README item 2); null: delivered. */
  readonly providerEcsTriggerDeath: {
    readonly signal: "SIGSEGV" | "SIGABRT";
    readonly afterMs: number;
  } | null;
  /** README item 12 (recorded as SIGABRT): shutting down with Health_Check On and retries pending. */
  readonly abortsOnShutdownWithPendingRetries: boolean;
}

const PERSONALITIES: Record<RouterVersion, Personality> = {
  "1.8.3": {
    version: "1.8.3",
    jsonContentType: null,
    hasV2Metrics: false,
    hasStorageMetrics: false,
    healthCrashesBeforeFirstPush: true,
    datadogV2Endpoint: false,
    renamesLogToMessage: false,
    eventOverheadBytes: 0,
    providerEcsTriggerDeath: { signal: "SIGSEGV", afterMs: 0 },
    abortsOnShutdownWithPendingRetries: true,
  },
  "1.9.10": {
    version: "1.9.10",
    jsonContentType: "application/json",
    hasV2Metrics: false,
    hasStorageMetrics: false,
    healthCrashesBeforeFirstPush: false,
    datadogV2Endpoint: true,
    renamesLogToMessage: false,
    eventOverheadBytes: 0,
    // The recording logged allocation errors at the flush and aborted (realloc(): invalid next size) about a
    // second after the send, having sent nothing: the heap is corrupted at the flush and the abort comes later.
    providerEcsTriggerDeath: { signal: "SIGABRT", afterMs: 900 },
    abortsOnShutdownWithPendingRetries: false,
  },
  "4.2.8": {
    version: "4.2.8",
    jsonContentType: "application/json",
    hasV2Metrics: true,
    hasStorageMetrics: true,
    healthCrashesBeforeFirstPush: false,
    datadogV2Endpoint: true,
    renamesLogToMessage: true,
    eventOverheadBytes: 15,
    providerEcsTriggerDeath: null,
    abortsOnShutdownWithPendingRetries: false,
  },
};

export function personality(version: RouterVersion): Personality {
  return PERSONALITIES[version];
}

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/fluent-bit");
const buildInfoCache = new Map<RouterVersion, string>();

/** The `GET /` document exactly as the real build answered it (flags differ by build). */
export function buildInfoText(version: RouterVersion): string {
  const cached = buildInfoCache.get(version);
  if (cached !== undefined) return cached;
  const rec = JSON.parse(readFileSync(join(fixtures, version, "sink-accepts.json"), "utf8")) as {
    timeline: { answers?: { url: string; body: unknown }[] }[];
  };
  const answer = rec.timeline.flatMap((s) => s.answers ?? []).find((a) => a.url === "/");
  if (answer === undefined) throw new Error(`no build-info answer recorded for ${version}`);
  const text = JSON.stringify(answer.body);
  buildInfoCache.set(version, text);
  return text;
}

export function uptimeDocument(seconds: number): { uptime_sec: number; uptime_hr: string } {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  const plural = (n: number) => (n > 1 ? "s" : "");
  return {
    uptime_sec: seconds,
    // Same format string as uptime.c, double space after the colon included.
    uptime_hr: `Fluent Bit has been running:  ${days} day${plural(days)}, ${hours} hour${plural(hours)}, ${minutes} minute${plural(minutes)} and ${secs} second${plural(secs)}`,
  };
}
