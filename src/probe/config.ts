/**
 * Probe configuration: flags and `FIRELENS_PREFLIGHT_*` environment variables (flags win), validated before
 * anything touches the network, so a typo fails the task at once with exit 2 and the variable's name instead
 * of passing or failing a gate for the wrong reason.
 */
import { parseArgs } from "node:util";

export type RequireSetting = "auto" | "alive" | "accepted" | "flushed";

export type ForwardTarget =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "unix"; readonly path: string };

export interface ProbeConfig {
  readonly forward: ForwardTarget;
  /** Gated container names; each one contributes the tag `{name}-firelens-preflight`. */
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

/** A bad setting: names the flag or variable and what was expected. Maps to exit code 2. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    /** `--flag`, `VARIABLE`, or both as "--flag / VARIABLE". */
    readonly source: string,
    readonly expected: string,
    got?: string,
  ) {
    super(`${source}: expected ${expected}${got === undefined ? "" : `, got ${got}`}`);
  }
}

export const ENV_PREFIX = "FIRELENS_PREFLIGHT_";
export const TAG_SUFFIX = "-firelens-preflight";
export const DEFAULT_SETTLE_MS = 1500;
export const DEFAULT_DEADLINE_MS = 60_000;
export const DEFAULT_RECORDS = 3;
export const DEFAULT_MONITOR = "http://127.0.0.1:2020";
export const DEFAULT_FORWARD: ForwardTarget = { kind: "tcp", host: "127.0.0.1", port: 24224 };
/**
 * Fluent Bit before 1.9.8 (aws-for-fluent-bit < 2.28.1) segfaults on tags over 256 characters
 * (fluent-bit#5753); the gate must never be the thing that crashes the router.
 */
export const MAX_TAG_LENGTH = 256;
export const MAX_RECORDS = 1000;

interface OptionSpec {
  readonly flag: string;
  readonly env: string;
  readonly help: string;
}

/** Every option with its variable; the order is the order of `--help`. */
export const OPTIONS = {
  forward: {
    flag: "forward",
    env: "FIRELENS_PREFLIGHT_FORWARD",
    help: "router's forward input: host:port, [v6]:port or unix:///var/run/fluent.sock (default $FLUENT_HOST:$FLUENT_PORT when both are set, else 127.0.0.1:24224)",
  },
  containers: {
    flag: "containers",
    env: "FIRELENS_PREFLIGHT_CONTAINERS",
    help: "comma list of gated container names; each is exercised with the tag {name}-firelens-preflight",
  },
  tags: {
    flag: "tags",
    env: "FIRELENS_PREFLIGHT_TAGS",
    help: "comma list of raw tags to exercise as well",
  },
  records: { flag: "records", env: "FIRELENS_PREFLIGHT_RECORDS", help: "records per tag (default 3)" },
  monitor: {
    flag: "monitor",
    env: "FIRELENS_PREFLIGHT_MONITOR",
    help: "Fluent Bit monitoring server, or off (default http://<forward host>:2020, i.e. http://127.0.0.1:2020)",
  },
  require: {
    flag: "require",
    env: "FIRELENS_PREFLIGHT_REQUIRE",
    help: "alive | accepted | flushed | auto (default: flushed when the monitor answers, else accepted)",
  },
  deadline: {
    flag: "deadline",
    env: "FIRELENS_PREFLIGHT_DEADLINE",
    help: "hard limit for the whole run, e.g. 1500ms, 30s, 2m (default 60s)",
  },
  settle: {
    flag: "settle",
    env: "FIRELENS_PREFLIGHT_SETTLE",
    help: "how long after the first record the router must stay up and clean (default 1500ms)",
  },
  agentReadyUrl: {
    flag: "agent-ready-url",
    env: "FIRELENS_PREFLIGHT_AGENT_READY_URL",
    help: "wait for this URL to answer 200 before sending, e.g. the Datadog Agent's http://127.0.0.1:5555/ready",
  },
  runId: {
    flag: "run-id",
    env: "FIRELENS_PREFLIGHT_RUN_ID",
    help: "run id written into every record (default: random)",
  },
} as const satisfies Record<string, OptionSpec>;

type OptionKey = keyof typeof OPTIONS;

export const HELP_TEXT = `firelens-preflight probe: verify a FireLens (Fluent Bit) log router before the app starts.

Sends records tagged {container}-firelens-preflight through the router's forward input, waits for the
acks, watches the monitoring server until the outputs processed them with no new errors, retries or drops,
and keeps watching for a settle window to catch a crash right after the first flush.

Usage: probe.mjs [options]        (each option also reads its environment variable; flags win)

${Object.values(OPTIONS)
  .map((o) => `  --${o.flag.padEnd(16)} ${o.env}\n${" ".repeat(20)}${o.help}`)
  .join("\n")}
  -h, --help           this text

Levels: alive (forward port accepts connections), accepted (every record acked), flushed (outputs
processed them, no new errors/retries/drops, no restart). The probe never asks /api/v1/health.

Output: one JSON line on stdout, one readable line on stderr.
Exit codes: 0 verified; 1 verification failed (crash, output errors or retries, drops, deadline, interrupted);
2 bad configuration; 3 router never became reachable before the deadline.`;

export type LoadResult =
  | { readonly kind: "help" }
  | { readonly kind: "config"; readonly config: ProbeConfig };

export type Env = Readonly<Record<string, string | undefined>>;

/** Parses flags and environment; throws ConfigError on the first bad value. */
export function loadConfig(argv: readonly string[], env: Env): LoadResult {
  const flags = parseFlags(argv);
  if (flags.help === true) return { kind: "help" };

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
  const rawTags = tagsOpt ? parseList(tagsOpt.value).map((t) => checkTag(t, tagsOpt.source)) : [];
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
      "none",
    );
  }

  const recordsOpt = pick("records");
  const records = recordsOpt ? parseRecords(recordsOpt.value, recordsOpt.source) : DEFAULT_RECORDS;

  const monitorOpt = pick("monitor");
  const monitor = monitorOpt ? parseMonitor(monitorOpt.value, monitorOpt.source) : defaultMonitor(forward);

  const requireOpt = pick("require");
  const require = requireOpt ? parseRequire(requireOpt.value, requireOpt.source) : "auto";
  if (require === "flushed" && monitor === null) {
    throw new ConfigError(
      `${requireOpt?.source ?? "--require"} with ${monitorOpt?.source ?? "--monitor"} off`,
      "a monitoring server URL: flushed is proven by the router's metrics",
      "--monitor off",
    );
  }

  const deadlineOpt = pick("deadline");
  const deadlineMs = deadlineOpt
    ? parseDuration(deadlineOpt.value, deadlineOpt.source, { min: 100 })
    : DEFAULT_DEADLINE_MS;
  const settleOpt = pick("settle");
  // An explicit settle window must fit the deadline; the default one shrinks to fit a short deadline.
  const settleMs = settleOpt
    ? parseDuration(settleOpt.value, settleOpt.source, { min: 0 })
    : Math.min(DEFAULT_SETTLE_MS, Math.floor(deadlineMs / 2));
  if (settleMs >= deadlineMs) {
    throw new ConfigError(
      `${settleOpt?.source ?? OPTIONS.settle.env} / ${deadlineOpt?.source ?? OPTIONS.deadline.env}`,
      "a settle window shorter than the deadline (the run could never pass)",
      `settle ${settleMs}ms, deadline ${deadlineMs}ms`,
    );
  }

  const agentOpt = pick("agentReadyUrl");
  const agentReadyUrl = agentOpt ? parseHttpUrl(agentOpt.value, agentOpt.source) : null;

  const runIdOpt = pick("runId");
  let runId: string | null = null;
  if (runIdOpt) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(runIdOpt.value)) {
      throw new ConfigError(
        runIdOpt.source,
        "1-64 characters from A-Z a-z 0-9 . _ -",
        safeEcho(runIdOpt.value),
      );
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

/** `FIRELENS_PREFLIGHT_*` variables the probe does not know: typos that would otherwise be silently ignored. */
export function unknownEnvNames(env: Env): string[] {
  const known = new Set<string>(Object.values(OPTIONS).map((o) => o.env));
  return Object.keys(env)
    .filter((k) => k.startsWith(ENV_PREFIX) && !known.has(k))
    .sort();
}

type FlagValues = Record<string, string | boolean | string[] | undefined>;

function parseFlags(argv: readonly string[]): FlagValues {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const spec of Object.values(OPTIONS)) {
    const multiple = spec.flag === "containers" || spec.flag === "tags";
    options[spec.flag] = multiple ? { type: "string", multiple: true } : { type: "string" };
  }
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return values as FlagValues;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // parseArgs messages quote the offending flag, never a value of an env variable.
    throw new ConfigError("command line", "known options (see --help)", message.split("\n")[0]);
  }
}

/**
 * The monitoring server lives with the forward input: in bridge mode ($FLUENT_HOST) the router is not on the
 * probe's loopback, so port 2020 is looked for on the forward host (aws-for-fluent-bit's
 * output-metrics-healthcheck.conf listens on 0.0.0.0). Over a unix socket it is the loopback.
 */
function defaultMonitor(forward: ForwardTarget): URL {
  if (forward.kind !== "tcp") return new URL(`${DEFAULT_MONITOR}/`);
  const host = forward.host.includes(":") ? `[${forward.host}]` : forward.host;
  return new URL(`http://${host}:2020/`);
}

function defaultForward(env: Env): ForwardTarget {
  const host = env.FLUENT_HOST;
  const port = env.FLUENT_PORT;
  if (host === undefined || host === "" || port === undefined || port === "") return DEFAULT_FORWARD;
  const p = parsePort(port, "FLUENT_PORT");
  if (!/^[A-Za-z0-9.:_-]+$/.test(host))
    throw new ConfigError("FLUENT_HOST", "a host name or IP address", safeEcho(host));
  return { kind: "tcp", host: host.replace(/^\[(.*)\]$/, "$1"), port: p };
}

export function parseForward(value: string, source: string): ForwardTarget {
  const v = value.trim();
  const expected = "host:port, [ipv6]:port or unix:///path/to/socket";
  if (v.startsWith("unix://")) {
    const path = v.slice("unix://".length);
    if (!path.startsWith("/") || path.length < 2) throw new ConfigError(source, expected, safeEcho(value));
    return { kind: "unix", path };
  }
  if (v.startsWith("/")) return { kind: "unix", path: v };
  const hostPort = v.startsWith("tcp://") ? v.slice("tcp://".length) : v;
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):([0-9]+)$/.exec(hostPort);
  if (!m) throw new ConfigError(source, expected, safeEcho(value));
  const host = m[1] ?? m[2] ?? "";
  return { kind: "tcp", host, port: parsePort(m[3] ?? "", source) };
}

function parsePort(value: string, source: string): number {
  const n = /^[0-9]{1,5}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new ConfigError(source, "a TCP port 1-65535", safeEcho(value));
  }
  return n;
}

function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseContainers(value: string, source: string): string[] {
  const names = parseList(value);
  for (const n of names) {
    // ECS container names: up to 255 letters, digits, hyphens and underscores.
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(n)) {
      throw new ConfigError(
        source,
        "ECS container names (letters, digits, - and _), comma-separated",
        safeEcho(n),
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
      `${tag.length} characters`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(tag) || tag.includes(",")) {
    throw new ConfigError(source, "tags of printable ASCII without spaces, comma-separated", safeEcho(tag));
  }
  return tag;
}

function parseRecords(value: string, source: string): number {
  const v = value.trim();
  const n = /^[0-9]+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_RECORDS) {
    throw new ConfigError(source, `an integer from 1 to ${MAX_RECORDS}`, safeEcho(value));
  }
  return n;
}

function parseMonitor(value: string, source: string): URL | null {
  if (value.trim().toLowerCase() === "off") return null;
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
    throw new ConfigError(source, expected, safeEcho(value));
  }
  if (url.protocol !== "http:") throw new ConfigError(source, expected, safeEcho(value));
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(source, `${expected} without credentials`, "a URL with user info");
  }
  return url;
}

function parseRequire(value: string, source: string): RequireSetting {
  const v = value.trim().toLowerCase();
  if (v === "auto" || v === "alive" || v === "accepted" || v === "flushed") return v;
  if (v === "delivered") {
    throw new ConfigError(
      source,
      "alive, accepted, flushed or auto (delivered needs destination API credentials and is not implemented)",
      "delivered",
    );
  }
  throw new ConfigError(source, "alive, accepted, flushed or auto", safeEcho(value));
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `1500ms`, `30s`, `1.5s`, `2m`, `1h` → milliseconds. A bare number is refused: seconds or milliseconds? */
export function parseDuration(value: string, source: string, bounds: { min: number; max?: number }): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(value.trim());
  const max = bounds.max ?? 24 * 3_600_000;
  const expected = `a duration such as 1500ms, 30s or 2m, from ${bounds.min}ms to ${max / 3_600_000}h`;
  if (!m) throw new ConfigError(source, expected, safeEcho(value));
  const ms = Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? "ms"] ?? 1));
  if (!Number.isFinite(ms) || ms < bounds.min || ms > max)
    throw new ConfigError(source, expected, safeEcho(value));
  return ms;
}

/**
 * Quotes a bad value back to the user unless it could be a secret: ECS injects secrets as environment
 * variables, and a key pasted into the wrong variable must not end up in the task's logs.
 */
export function safeEcho(value: string): string {
  const v = value.trim();
  if (v.length > 48 || /^[A-Za-z0-9+/=_-]{20,}$/.test(v))
    return `a value of ${v.length} characters (not shown)`;
  return JSON.stringify(v);
}

/** Display form of a target, for reasons and results. */
export function describeForward(target: ForwardTarget): string {
  if (target.kind === "unix") return `unix://${target.path}`;
  return target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}
