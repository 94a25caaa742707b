/**
 * The probe's contract with the task it runs in: how the gate container is named and configured, which tags
 * it writes, the defaults and limits it applies, and what it asks of the router (the monitoring config and the
 * health check the gate recommends). The probe reads its settings through these names; `fix`, the rules, the
 * CDK constructs and the simulator write or recognise them through the same names.
 *
 * No imports, on purpose: the probe bundle (`dist/probe.mjs`) depends on nothing outside the probe part, and every
 * other part may import this file without pulling the probe's runtime in.
 */

/** Default name of the gate container (the name the seed's workaround used). */
export const PREFLIGHT_CONTAINER_NAME = "log-router-preflight";

/** Every probe setting is an environment variable with this prefix (containers are configured by env). */
export const PROBE_ENV_PREFIX = "FIRELENS_PREFLIGHT_";

/** Each probe setting: its command-line flag (without `--`) and its environment variable. Flags win. */
export const PROBE_SETTINGS = {
  forward: { flag: "forward", env: "FIRELENS_PREFLIGHT_FORWARD" },
  containers: { flag: "containers", env: "FIRELENS_PREFLIGHT_CONTAINERS" },
  tags: { flag: "tags", env: "FIRELENS_PREFLIGHT_TAGS" },
  records: { flag: "records", env: "FIRELENS_PREFLIGHT_RECORDS" },
  monitor: { flag: "monitor", env: "FIRELENS_PREFLIGHT_MONITOR" },
  require: { flag: "require", env: "FIRELENS_PREFLIGHT_REQUIRE" },
  deadline: { flag: "deadline", env: "FIRELENS_PREFLIGHT_DEADLINE" },
  settle: { flag: "settle", env: "FIRELENS_PREFLIGHT_SETTLE" },
  agentReadyUrl: { flag: "agent-ready-url", env: "FIRELENS_PREFLIGHT_AGENT_READY_URL" },
  runId: { flag: "run-id", env: "FIRELENS_PREFLIGHT_RUN_ID" },
} as const;

export type ProbeSetting = keyof typeof PROBE_SETTINGS;

/**
 * FireLens names each awsfirelens container's output match `{container}-firelens*`; the probe writes
 * `{container}-firelens-preflight` so its records take the very output the container's first logs will.
 */
export const FIRELENS_TAG_INFIX = "-firelens";
export const TAG_SUFFIX = `${FIRELENS_TAG_INFIX}-preflight`;

/** The tag the probe writes for one gated container. */
export function tagFor(container: string): string {
  return `${container}${TAG_SUFFIX}`;
}

/** Whether records with `tag` reach the output FireLens generated for `container`. */
export function tagReachesContainer(tag: string, container: string): boolean {
  return tag.startsWith(`${container}${FIRELENS_TAG_INFIX}`);
}

/** The router's forward input: the ECS agent always generates TCP 24224 (and the unix socket). */
export const DEFAULT_FORWARD_HOST = "127.0.0.1";
export const DEFAULT_FORWARD_PORT = 24224;
/** Fluent Bit's HTTP monitoring server, as aws-for-fluent-bit's monitoring config opens it. */
export const MONITOR_PORT = 2020;
export const DEFAULT_MONITOR_URL = `http://127.0.0.1:${MONITOR_PORT}`;
/** The value of the monitor setting that turns the monitoring server off. */
export const MONITOR_OFF = "off";

/** Verification levels a gate may require; `auto` is `flushed` when the monitor answers, else `accepted`. */
export const REQUIRE_LEVELS = ["alive", "accepted", "flushed", "auto"] as const;
export type RequireLevel = (typeof REQUIRE_LEVELS)[number];
export const DEFAULT_REQUIRE: RequireLevel = "auto";

export const DEFAULT_DEADLINE = "60s";
export const DEFAULT_SETTLE = "1500ms";
export const DEFAULT_RECORDS = 3;
export const MAX_RECORDS = 1000;
/**
 * Fluent Bit before 1.9.8 (aws-for-fluent-bit < 2.28.1) segfaults on tags over 256 characters
 * (fluent-bit#5753); the gate must never be the thing that crashes the router.
 */
export const MAX_TAG_LENGTH = 256;
/** ECS container names: up to 255 letters, digits, hyphens and underscores. */
export const CONTAINER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * The most reply bytes the probe holds from the forward input without a complete reply. Fluent Bit's only reply
 * is an ack, `{"ack": id}`, a few dozen bytes; a peer that sends more without completing one is not a forward input.
 */
export const MAX_FORWARD_REPLY_BYTES = 4096;
/**
 * The probe's own memory ceiling (resident set, MiB). It peaks under 50 MiB; past this it reports the failure in
 * its JSON line and exits 1, rather than growing until V8 aborts with no line at all.
 */
export const PROBE_MEMORY_GUARD_MIB = 192;

/** Exit codes of the probe, and so of the gate container. */
export const PROBE_EXIT = { verified: 0, failed: 1, badConfiguration: 2, unreachable: 3 } as const;

// ---------------------------------------------------------------------------------------------------------
// Durations: one grammar for the probe's settings, `fix --timeout` and the CDK props.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** The grammar, for messages. */
export const DURATION_EXAMPLES = "1500ms, 30s, 2m or 1h";

/**
 * `1500ms`, `30s`, `1.5s`, `2m`, `1h` → whole milliseconds; `undefined` for anything else. A bare number is
 * refused on purpose: seconds or milliseconds?
 */
export function parseDurationMs(text: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(text.trim());
  if (m === null) return undefined;
  const ms = Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? ""] ?? Number.NaN));
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The range the probe accepts for each duration setting: a deadline from 100 ms (time for one connection attempt)
 * to 24 h, a settle window from 0 to 24 h and shorter than the deadline. Every surface that writes a duration
 * for the probe (`fix --timeout`, the config's `fix.timeout`, the CDK props, lint's FLP209) checks it here, so a
 * value they accept is one the probe runs with: anything else makes the probe exit 2 in every task, and the
 * apps it gates never start.
 */
export const PROBE_DURATION_RANGE = {
  deadline: { min: 100, max: 24 * 3_600_000 },
  settle: { min: 0, max: 24 * 3_600_000 },
} as const;
export type DurationSetting = keyof typeof PROBE_DURATION_RANGE;

/** "from 100ms to 24h", for messages. */
export function durationRangeText(setting: DurationSetting): string {
  const { min, max } = PROBE_DURATION_RANGE[setting];
  return `from ${formatDurationMs(min)} to ${formatDurationMs(max)}`;
}

/** What the probe would say about a duration in whole milliseconds: `undefined` when it accepts it. */
export function durationMsProblem(setting: DurationSetting, ms: number): string | undefined {
  const { min, max } = PROBE_DURATION_RANGE[setting];
  if (!Number.isInteger(ms)) return `${ms} ms is not a whole number of milliseconds`;
  if (ms < min || ms > max)
    return `${formatDurationMs(ms)} is outside the probe's range, ${durationRangeText(setting)}`;
  return undefined;
}

/** What the probe would say about a duration as written: `undefined` when it accepts it. */
export function durationProblem(setting: DurationSetting, text: string): string | undefined {
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    return `"${text}" is not a duration such as ${DURATION_EXAMPLES} (${durationRangeText(setting)})`;
  }
  return durationMsProblem(setting, ms);
}

/** The shortest exact spelling of a whole number of milliseconds in the same grammar. */
export function formatDurationMs(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

// ---------------------------------------------------------------------------------------------------------
// The gate container's size.

/**
 * CPU units reserved for the probe. It runs before the app starts, so it never competes for CPU; on Fargate a
 * container's `cpu` only counts against the task budget and sets a share, so a small figure keeps budgets fitting.
 */
export const PREFLIGHT_CPU = 32;
/**
 * Soft memory reservation (MiB), and deliberately no hard `memory` limit: the probe is one Node process (tens of
 * MiB RSS); a hard limit below its peak would get it OOM-killed and turn a healthy router into a failed gate.
 */
export const PREFLIGHT_MEMORY_RESERVATION_MIB = 32;

// ---------------------------------------------------------------------------------------------------------
// What the gate asks of the router.

/**
 * Built-in aws-for-fluent-bit config that turns on the HTTP monitoring server on port 2020. It holds only
 * [SERVICE] settings, so loading it adds no input, filter or output.
 */
export const ROUTER_MONITORING_CONFIG = "/fluent-bit/configs/output-metrics-healthcheck.conf";
/** First aws-for-fluent-bit release that ships that file (its Dockerfile at tag v2.29.1 adds it). */
export const ROUTER_MONITORING_SINCE: readonly [number, number, number] = [2, 29, 1];

/** An ECS container health check, in the API's camelCase and units (seconds). */
export interface RecommendedHealthCheck {
  readonly command: readonly string[];
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

/**
 * The router health check the gate recommends: `/api/v1/uptime`, shallow on purpose. Never `/api/v1/health`:
 * asked before the first metrics push it crashes Fluent Bit < 1.8.7 (fluent-bit#3983), and it turns unhealthy
 * on a destination outage. The short interval lets the gate (which waits for HEALTHY) open soon after the router
 * is up; the start period covers the router's own start.
 */
export const ROUTER_HEALTH_CHECK: RecommendedHealthCheck = {
  command: ["CMD-SHELL", `curl -fs http://127.0.0.1:${MONITOR_PORT}/api/v1/uptime || exit 1`],
  interval: 5,
  timeout: 2,
  retries: 3,
  startPeriod: 10,
};

// ---------------------------------------------------------------------------------------------------------
// Reading a gate container's targets back (lint, fix), as the probe itself would read them.

export interface ProbeTargets {
  /** Gated container names (`--containers` / FIRELENS_PREFLIGHT_CONTAINERS). */
  readonly containers: readonly string[];
  /** Raw tags (`--tags` / FIRELENS_PREFLIGHT_TAGS). */
  readonly tags: readonly string[];
  /** Some source is not known until deploy time: the lists may be incomplete. */
  readonly unknown: boolean;
}

/** A comma list as the probe splits it: trimmed, empty items dropped. */
export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The containers and tags a gate container will exercise, from its environment (name → value, `undefined`
 * for a value unknown until deploy time) and its entryPoint + command. Flags win over variables, as in the probe.
 */
export function probeTargets(
  environment: ReadonlyMap<string, string | undefined>,
  args: readonly unknown[],
): ProbeTargets {
  let unknown = false;
  const fromFlags: Record<"containers" | "tags", string[] | undefined> = {
    containers: undefined,
    tags: undefined,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg !== "string") continue;
    for (const key of ["containers", "tags"] as const) {
      const flag = `--${PROBE_SETTINGS[key].flag}`;
      let value: unknown;
      if (arg === flag) value = args[++i];
      else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
      else continue;
      if (typeof value !== "string") unknown = true;
      else fromFlags[key] = [...(fromFlags[key] ?? []), ...splitList(value)];
    }
  }
  const read = (key: "containers" | "tags"): string[] => {
    const flagged = fromFlags[key];
    if (flagged !== undefined) return flagged;
    const env = PROBE_SETTINGS[key].env;
    if (!environment.has(env)) return [];
    const value = environment.get(env);
    if (value === undefined) {
      unknown = true;
      return [];
    }
    return splitList(value);
  };
  const containers = read("containers");
  const tags = read("tags");
  return { containers, tags, unknown };
}

/** One probe setting of a gate container as the probe will read it: the last flag wins over the variable. */
export interface ProbeSettingValue {
  /** The value, or `undefined` when the setting is absent or only known at deploy time. */
  readonly value: string | undefined;
  /** Where it comes from. */
  readonly from: "flag" | "env" | "none";
  /** The value is only known at deploy time. */
  readonly unknown: boolean;
}

export function probeSetting(
  setting: ProbeSetting,
  environment: ReadonlyMap<string, string | undefined>,
  args: readonly unknown[],
): ProbeSettingValue {
  const flag = `--${PROBE_SETTINGS[setting].flag}`;
  let found: ProbeSettingValue | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg !== "string") continue;
    let value: unknown;
    if (arg === flag) value = args[++i];
    else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
    else continue;
    found =
      typeof value === "string"
        ? { value, from: "flag", unknown: false }
        : { value: undefined, from: "flag", unknown: true };
  }
  if (found !== undefined) return found;
  const env = PROBE_SETTINGS[setting].env;
  if (!environment.has(env)) return { value: undefined, from: "none", unknown: false };
  const value = environment.get(env);
  return value === undefined
    ? { value: undefined, from: "env", unknown: true }
    : { value, from: "env", unknown: false };
}

/** Whether a gate with these targets sends records through `container`'s output. */
export function targetsCover(targets: ProbeTargets, container: string): boolean {
  return (
    targets.containers.includes(container) || targets.tags.some((t) => tagReachesContainer(t, container))
  );
}
