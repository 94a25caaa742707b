/**
 * Probe configuration: flags and the environment variables named in contract.ts (flags win), validated before
 * anything touches the network, so a typo fails the task at once with exit 2 and the variable's name instead
 * of passing or failing a gate for the wrong reason.
 */
import { parseArgs } from "node:util";
import {
  CONTAINER_NAME_PATTERN,
  DEFAULT_DEADLINE,
  DEFAULT_FORWARD_HOST,
  DEFAULT_FORWARD_PORT,
  DEFAULT_MONITOR_URL,
  DEFAULT_RECORDS,
  DEFAULT_REQUIRE,
  DEFAULT_SETTLE,
  DURATION_EXAMPLES,
  formatDurationMs,
  MAX_RECORDS,
  MAX_TAG_LENGTH,
  MONITOR_OFF,
  MONITOR_PORT,
  PROBE_DURATION_RANGE,
  PROBE_ENV_PREFIX,
  PROBE_EXIT,
  PROBE_SETTINGS,
  type ProbeSetting,
  parseDurationMs,
  REQUIRE_LEVELS,
  type RequireLevel,
  splitList,
  TAG_SUFFIX,
} from "./contract.js";

export type RequireSetting = RequireLevel;

export type ForwardTarget =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

export interface ProbeConfig {
  readonly forward: ForwardTarget;
  /** Gated container names; each one contributes the tag `{name}` + TAG_SUFFIX. */
  readonly containers: readonly string[];
  /** Every tag the probe writes, derived ones first, then raw `--tags`. */
  readonly tags: readonly ProbeTag[];
  /** Records per tag. */
  readonly records: number;
  /** Fluent Bit monitoring server base URL, or null when `off`. */
  readonly monitor: URL | null;
  readonly require: RequireSetting;
  readonly deadlineMs: number;
  readonly settleMs: number;
  readonly agentReadyUrl: URL | null;
  /** Fixed run id (tests, log searches); random when absent. */
  readonly runId: string | null;
}

export interface ProbeTag {
  readonly tag: string;
  /** The gated container this tag stands for; null for raw `--tags`. */
  readonly container: string | null;
}

/**
 * A bad setting: names the flag or variable and what was expected, never the value. ECS injects secrets as
 * environment variables, and a key pasted into the wrong variable must not end up in the task's logs; no rule
 * that tells keys from typos is safe, so no rejected value is ever quoted back. Maps to exit code 2.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    /** `--flag`, `VARIABLE`, or both as "--flag / VARIABLE". */
    readonly source: string,
    readonly expected: string,
    /** What was wrong, in words that carry no part of the value (its length, say). */
    detail?: string,
  ) {
    super(`${source}: expected ${expected}${detail === undefined ? "" : ` (${detail})`}`);
  }
}

export const DEFAULT_SETTLE_MS = parseDurationMs(DEFAULT_SETTLE) ?? 1500;
const DEFAULT_DEADLINE_MS = parseDurationMs(DEFAULT_DEADLINE) ?? 60_000;
const DEFAULT_FORWARD: ForwardTarget = {
  kind: "tcp",
  host: DEFAULT_FORWARD_HOST,
  port: DEFAULT_FORWARD_PORT,
};
/** Bounds of `--deadline` and `--settle`: the contract's, which fix, the config and the CDK check too. */
const DEADLINE_MIN_MS = PROBE_DURATION_RANGE.deadline.min;
const DURATION_MAX_MS = PROBE_DURATION_RANGE.deadline.max;

interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly help: string;
}

const S = PROBE_SETTINGS;
/** Every option with its variable (names from the contract); the order is the order of `--help`. */
export const OPTIONS = {
  forward: {
    ...S.forward,
    help: `router's forward input: host:port, [v6]:port or unix:///var/run/fluent.sock (default $FLUENT_HOST:$FLUENT_PORT when both are set, else ${DEFAULT_FORWARD_HOST}:${DEFAULT_FORWARD_PORT})`,
  },
  containers: {
    ...S.containers,
    help: `comma list of gated container names; each is exercised with the tag {name}${TAG_SUFFIX}`,
  },
  tags: { ...S.tags, help: "comma list of raw tags to exercise as well" },
  records: { ...S.records, help: `records per tag (default ${DEFAULT_RECORDS})` },
  monitor: {
    ...S.monitor,
    help: `Fluent Bit monitoring server, or ${MONITOR_OFF} (default http://<forward host>:${MONITOR_PORT}, i.e. ${DEFAULT_MONITOR_URL})`,
  },
  require: {
    ...S.require,
    help: `${REQUIRE_LEVELS.join(" | ")} (default ${DEFAULT_REQUIRE}: flushed when the monitor answers, else accepted)`,
  },
  deadline: {
    ...S.deadline,
    help: `hard limit for the whole run, e.g. ${DURATION_EXAMPLES} (default ${DEFAULT_DEADLINE})`,
  },
  settle: {
    ...S.settle,
    help: `how long after the first record the router must stay up and clean (default ${DEFAULT_SETTLE})`,
  },
  agentReadyUrl: {
    ...S.agentReadyUrl,
    help: "wait for this URL to answer 200 before sending, e.g. the Datadog Agent's http://127.0.0.1:5555/ready",
  },
  runId: { ...S.runId, help: "run id written into every record (default: random)" },
} as const satisfies Record<ProbeSetting, OptionSpec>;

type OptionKey = keyof typeof OPTIONS;

export const HELP_TEXT = `firelens-preflight probe: verify a FireLens (Fluent Bit) log router before the app starts.

Sends records tagged {container}${TAG_SUFFIX} through the router's forward input, waits for the
acks, watches the monitoring server until the outputs processed them with no new errors, retries or drops,
and keeps watching for a settle window to catch a crash right after the first flush.

Usage: probe.mjs [options]        (each option also reads its environment variable; flags win)

${Object.values(OPTIONS)
  .map((o) => `  --${o.flag.padEnd(16)} ${o.env}\n${" ".repeat(20)}${o.help}`)
  .join("\n")}
  -h, --help           this text
  --version            the probe's version (also the "version" of its JSON line; the router's is "routerVersion")

Levels: alive (forward port accepts connections), accepted (every record acked), flushed (outputs
processed them, no new errors/retries/drops, no restart). The probe never asks /api/v1/health.

Output: one JSON line on stdout, one readable line on stderr.
Exit codes: ${PROBE_EXIT.verified} verified; ${PROBE_EXIT.failed} verification failed (crash, output errors or retries, drops, deadline, interrupted);
${PROBE_EXIT.badConfiguration} bad configuration; ${PROBE_EXIT.unreachable} router never became reachable before the deadline.`;

export type LoadResult =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "config"; readonly config: ProbeConfig };

export type Env = Readonly<Record<string, string | undefined>>;

/** Parses flags and environment; throws ConfigError on the first bad value. */
export function loadConfig(argv: readonly string[], env: Env): LoadResult {
  const flags = parseFlags(argv);
  if (flags.help === true) return { kind: "help" };
  if (flags.version === true) return { kind: "version" };

  const pick = (key: OptionKey): { value: string; source: string } | null => {
    const spec = OPTIONS[key];
    const fromFlag = flags[spec.flag];
    if (typeof fromFlag === "string") return { value: fromFlag, source: `--${spec.flag}` };
    if (Array.isArray(fromFlag) && fromFlag.length > 0) {
      return { value: fromFlag.join(","), source: `--${spec.flag}` };
    }
    const fromEnv = env[spec.env];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: spec.env };
    return null;
  };

  const forwardOpt = pick("forward");
  const forward = forwardOpt ? parseForward(forwardOpt.value, forwardOpt.source) : defaultForward(env);

  const containersOpt = pick("containers");
  const containers = containersOpt ? parseContainers(containersOpt.value, containersOpt.source) : [];
  const tagsOpt = pick("tags");
  const rawTags = tagsOpt ? splitList(tagsOpt.value).map((t) => checkTag(t, tagsOpt.source)) : [];
  const tags: ProbeTag[] = [];
  const seen = new Set<string>();
  for (const c of containers) {
    const tag = checkTag(`${c}${TAG_SUFFIX}`, containersOpt?.source ?? OPTIONS.containers.env);
    if (!seen.has(tag)) tags.push({ tag, container: c });
    seen.add(tag);
  }
  for (const t of rawTags) {
    if (!seen.has(t)) tags.push({ tag: t, container: null });
    seen.add(t);
  }
  if (tags.length === 0) {
    throw new ConfigError(
      `--${OPTIONS.containers.flag} / ${OPTIONS.containers.env} (or --${OPTIONS.tags.flag} / ${OPTIONS.tags.env})`,
      "at least one gated container name (or raw tag) to exercise",
      "none given",
    );
  }

  const recordsOpt = pick("records");
  const records = recordsOpt ? parseRecords(recordsOpt.value, recordsOpt.source) : DEFAULT_RECORDS;

  const monitorOpt = pick("monitor");
  const monitor = monitorOpt ? parseMonitor(monitorOpt.value, monitorOpt.source) : defaultMonitor(forward);

  const requireOpt = pick("require");
  const require = requireOpt ? parseRequire(requireOpt.value, requireOpt.source) : DEFAULT_REQUIRE;
  if (require === "flushed" && monitor === null) {
    throw new ConfigError(
      `${requireOpt?.source ?? `--${OPTIONS.require.flag}`} with ${monitorOpt?.source ?? `--${OPTIONS.monitor.flag}`} ${MONITOR_OFF}`,
      "a monitoring server URL: flushed is proven by the router's metrics",
    );
  }

  const deadlineOpt = pick("deadline");
  const deadlineMs = deadlineOpt
    ? parseDuration(deadlineOpt.value, deadlineOpt.source, { min: DEADLINE_MIN_MS })
    : DEFAULT_DEADLINE_MS;
  const settleOpt = pick("settle");
  // An explicit settle window must fit the deadline; the default one shrinks to fit a short deadline.
  const settleMs = settleOpt
    ? parseDuration(settleOpt.value, settleOpt.source, { min: PROBE_DURATION_RANGE.settle.min })
    : Math.min(DEFAULT_SETTLE_MS, Math.floor(deadlineMs / 2));
  if (settleMs >= deadlineMs) {
    throw new ConfigError(
      `${settleOpt?.source ?? OPTIONS.settle.env} / ${deadlineOpt?.source ?? OPTIONS.deadline.env}`,
      "a settle window shorter than the deadline (the run could never pass)",
      `settle ${formatDurationMs(settleMs)}, deadline ${formatDurationMs(deadlineMs)}`,
    );
  }

  const agentOpt = pick("agentReadyUrl");
  const agentReadyUrl = agentOpt ? parseHttpUrl(agentOpt.value, agentOpt.source) : null;

  const runIdOpt = pick("runId");
  let runId: string | null = null;
  if (runIdOpt) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(runIdOpt.value)) {
      throw new ConfigError(runIdOpt.source, "1-64 characters from A-Z a-z 0-9 . _ -");
    }
    runId = runIdOpt.value;
  }

  return {
    kind: "config",
    config: {
      forward,
      containers,
      tags,
      records,
      monitor,
      require,
      deadlineMs,
      settleMs,
      agentReadyUrl,
      runId,
    },
  };
}

/** Variables with the probe's prefix that it does not know: typos that would otherwise be silently ignored. */
export function unknownEnvNames(env: Env): string[] {
  const known = new Set<string>(Object.values(OPTIONS).map((o) => o.env));
  return Object.keys(env)
    .filter((k) => k.startsWith(PROBE_ENV_PREFIX) && !known.has(k))
    .sort();
}

type FlagValues = Record<string, string | boolean | string[] | undefined>;

function parseFlags(argv: readonly string[]): FlagValues {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
    help: { type: "boolean", short: "h" },
    version: { type: "boolean" },
  };
  for (const spec of Object.values(OPTIONS)) {
    const multiple = spec.flag === OPTIONS.containers.flag || spec.flag === OPTIONS.tags.flag;
    options[spec.flag] = multiple ? { type: "string", multiple: true } : { type: "string" };
  }
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return values as FlagValues;
  } catch (err) {
    throw new ConfigError("command line", "known options (see --help)", flagProblem(err, argv));
  }
}

/**
 * What parseArgs objected to, in our words: its own messages quote positional arguments whole (`Unexpected
 * argument '<value>'`), and a value pasted where a flag was expected may be a secret.
 */
function flagProblem(err: unknown, argv: readonly string[]): string {
  const code = err !== null && typeof err === "object" && "code" in err ? err.code : undefined;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return "an argument that belongs to no option";
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    // The message names the option as declared (`Option '--deadline <value>' argument missing`): one of ours.
    const named = /'(--[a-z-]+)/.exec(err instanceof Error ? err.message : "")?.[1];
    const known = Object.values(OPTIONS).find((o) => named === `--${o.flag}`);
    return known === undefined ? "an option without its value" : `--${known.flag} without its value`;
  }
  // An unknown option is named only when it looks like a flag name, not like something pasted.
  const unknown = argv
    .map((a) => /^(--?[A-Za-z][A-Za-z0-9-]{0,30})(?:=|$)/.exec(a)?.[1])
    .find(
      (f) =>
        f !== undefined &&
        f !== "-h" &&
        !Object.values(OPTIONS).some((o) => f === `--${o.flag}`) &&
        f !== "--help" &&
        f !== "--version",
    );
  return unknown === undefined ? "an unknown option" : `unknown option ${unknown}`;
}

/**
 * The monitoring server lives with the forward input: in bridge mode ($FLUENT_HOST) the router is not on the
 * probe's loopback, so port 2020 is looked for on the forward host (aws-for-fluent-bit's
 * output-metrics-healthcheck.conf listens on 0.0.0.0). Over a unix socket it is the loopback.
 */
function defaultMonitor(forward: ForwardTarget): URL {
  if (forward.kind !== "tcp") return new URL(`${DEFAULT_MONITOR_URL}/`);
  const host = forward.host.includes(":") ? `[${forward.host}]` : forward.host;
  return new URL(`http://${host}:${MONITOR_PORT}/`);
}

function defaultForward(env: Env): ForwardTarget {
  const host = env.FLUENT_HOST;
  const port = env.FLUENT_PORT;
  if (host === undefined || host === "" || port === undefined || port === "") return DEFAULT_FORWARD;
  const p = parsePort(port, "FLUENT_PORT");
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) throw new ConfigError("FLUENT_HOST", "a host name or IP address");
  return { kind: "tcp", host: host.replace(/^\[(.*)\]$/, "$1"), port: p };
}

export function parseForward(value: string, source: string): ForwardTarget {
  const v = value.trim();
  const expected = "host:port, [ipv6]:port or unix:///path/to/socket";
  if (v.startsWith("unix://")) {
    const path = v.slice("unix://".length);
    if (!path.startsWith("/") || path.length < 2) throw new ConfigError(source, expected);
    return { kind: "unix", path };
  }
  if (v.startsWith("/")) return { kind: "unix", path: v };
  const hostPort = v.startsWith("tcp://") ? v.slice("tcp://".length) : v;
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):([0-9]+)$/.exec(hostPort);
  if (!m) throw new ConfigError(source, expected);
  const host = m[1] ?? m[2] ?? "";
  return { kind: "tcp", host, port: parsePort(m[3] ?? "", source) };
}

function parsePort(value: string, source: string): number {
  const n = /^[0-9]{1,5}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(source, "a TCP port 1-65535");
  return n;
}

function parseContainers(value: string, source: string): string[] {
  const names = splitList(value);
  for (const n of names) {
    if (!CONTAINER_NAME_PATTERN.test(n)) {
      throw new ConfigError(
        source,
        "ECS container names (letters, digits, - and _, up to 255), comma-separated",
      );
    }
  }
  return [...new Set(names)];
}

function checkTag(tag: string, source: string): string {
  if (tag.length > MAX_TAG_LENGTH) {
    throw new ConfigError(
      source,
      `tags of at most ${MAX_TAG_LENGTH} characters (longer tags crash Fluent Bit < 1.9.8, fluent-bit#5753)`,
      `one has ${tag.length}`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(tag) || tag.includes(",")) {
    throw new ConfigError(source, "tags of printable ASCII without spaces, comma-separated");
  }
  return tag;
}

function parseRecords(value: string, source: string): number {
  const v = value.trim();
  const n = /^[0-9]+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_RECORDS) {
    throw new ConfigError(source, `an integer from 1 to ${MAX_RECORDS}`);
  }
  return n;
}

function parseMonitor(value: string, source: string): URL | null {
  if (value.trim().toLowerCase() === MONITOR_OFF) return null;
  return parseHttpUrl(value, source);
}

function parseHttpUrl(value: string, source: string): URL {
  // Fluent Bit's monitoring server and the Datadog Agent's health port speak plain HTTP; leaving TLS out
  // keeps node:https (and OpenSSL's start-up) out of a probe that runs in every task.
  const expected = "an http:// URL";
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(source, expected);
  }
  if (url.protocol !== "http:") throw new ConfigError(source, expected);
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(source, `${expected} without credentials`, "it has user info");
  }
  return url;
}

function parseRequire(value: string, source: string): RequireSetting {
  const v = value.trim().toLowerCase();
  const level = REQUIRE_LEVELS.find((l) => l === v);
  if (level !== undefined) return level;
  const levels = `${REQUIRE_LEVELS.slice(0, -1).join(", ")} or ${REQUIRE_LEVELS.at(-1)}`;
  if (v === "delivered") {
    throw new ConfigError(
      source,
      `${levels} (delivered needs destination API credentials and is not implemented)`,
      "delivered",
    );
  }
  throw new ConfigError(source, levels);
}

/** A duration in the contract's one grammar (parseDurationMs), within bounds; ConfigError otherwise. */
export function parseDuration(value: string, source: string, bounds: { min: number; max?: number }): number {
  const max = bounds.max ?? DURATION_MAX_MS;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < bounds.min || ms > max) {
    throw new ConfigError(
      source,
      `a duration such as ${DURATION_EXAMPLES}, from ${formatDurationMs(bounds.min)} to ${formatDurationMs(max)}`,
    );
  }
  return ms;
}

/** Display form of a target, for reasons and results. */
export function describeForward(target: ForwardTarget): string {
  if (target.kind === "unix") return `unix://${target.path}`;
  return target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}
