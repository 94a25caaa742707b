/**
 * What a rehearsal runs, decided before anything starts: the router's configuration as the agent generates it
 * (then with its destinations made local), the router's environment and secrets, the probe's environment as the
 * task's gate gives it, and the tags the shake-down drives. Pure: the model's reading in, a plan out.
 */
import {
  FirelensConfigError,
  type GeneratedConfig,
  generateFirelensConfig,
  renderFluentBit,
} from "../firelens/index.js";
import type { TaskReading } from "../model/index.js";
import { arr, isObject, str } from "../model/index.js";
import { DEFAULT_FORWARD_PORT, PROBE_ENV_PREFIX, PROBE_SETTINGS } from "../probe/contract.js";
import { type Destination, redirectOutputs } from "./destinations.js";

export const INTAKE_PORT = 18_080;
export const SINK_PORT = 18_081;

export interface PlanOptions {
  /** Secret values by option name (`apikey`), router variable (`apikey_2`) or container secret name. */
  readonly secrets: ReadonlyMap<string, string>;
  readonly realDestinations: boolean;
  /** The text of a `config-file-type: s3` file (`--config-file`). */
  readonly s3ConfigText?: string;
  /** The probe's deadline, unless the gate sets one. */
  readonly deadline: string;
}

export interface RouterSecret {
  readonly variable: string;
  readonly value: string;
  /** Given with `--secret`, or a dummy. */
  readonly given: boolean;
}

export interface RehearsePlan {
  readonly router: string;
  readonly image: string | undefined;
  readonly generated: GeneratedConfig;
  /** The file mounted at /fluent-bit/etc/fluent-bit.conf: the generated one, destinations made local. */
  readonly configText: string;
  readonly s3ConfigText: string | undefined;
  readonly destinations: readonly Destination[];
  /** Plain environment of the router (the task's), then its secrets (never printed). */
  readonly environment: ReadonlyMap<string, string>;
  readonly secrets: readonly RouterSecret[];
  /** The router container's own `entryPoint`, `command` and `user`, as the agent would pass them to Docker. */
  readonly entryPoint: readonly string[] | undefined;
  readonly command: readonly string[] | undefined;
  readonly user: string | undefined;
  /** The gated apps, whose tags the probe and the shake-down use. */
  readonly gated: readonly string[];
  readonly gate: string | undefined;
  readonly probeEnv: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

/** A dummy for a secret nobody gave: the shape of a Datadog API key, so the output takes it as one. */
function dummySecret(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `${h.toString(16).padStart(8, "0")}${"0".repeat(24)}`;
}

function stringList(value: unknown): string[] | undefined {
  const list = arr(value);
  return list.length > 0 && list.every((v) => typeof v === "string") ? (list as string[]) : undefined;
}

export function planRehearsal(reading: TaskReading, opts: PlanOptions): RehearsePlan {
  const router = reading.router;
  if (router === undefined)
    throw new FirelensConfigError("the task has no container with a firelensConfiguration");
  const td = reading.taskDefinition.taskDefinition;
  const family = str(td.family as unknown) ?? "rehearse";
  const fargate = arr(td.requiresCompatibilities as unknown).some(
    (c) => String(c).toUpperCase() === "FARGATE",
  );
  const taskId = "0123456789abcdef0123456789abcdef";
  const generated = generateFirelensConfig(reading, {
    cluster: "rehearse",
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/rehearse/${taskId}`,
    taskDefinition: `${family}:1`,
    ...(fargate ? {} : { ec2InstanceId: "i-0123456789abcdef0" }),
  });
  const notes = [...generated.warnings];
  if (generated.external?.type === "s3" && opts.s3ConfigText === undefined) {
    throw new FirelensConfigError(
      `the router loads its configuration from S3 (${generated.external.value}), which rehearse does not fetch: ` +
        "pass the file with --config-file PATH",
    );
  }
  if (generated.external !== undefined && /\.ya?ml$/i.test(generated.external.value)) {
    throw new FirelensConfigError(
      `the external configuration ${generated.external.value} is YAML, which this generator does not write yet`,
    );
  }
  const redirected = redirectOutputs(
    generated.sections,
    { intake: INTAKE_PORT, sink: SINK_PORT },
    opts.realDestinations,
  );
  for (const d of redirected.destinations) {
    if (d.kind === "not-covered")
      notes.push(
        d.real
          ? `output ${d.plugin} (${d.match}) goes to its real destination (--real-destinations)`
          : `output ${d.plugin} (${d.match}) is not covered: no local destination for it, routed to null`,
      );
  }

  const environment = new Map<string, string>();
  for (const [name, e] of router.environment) if (e.value !== undefined) environment.set(name, e.value);
  // The AWS outputs sign their requests: give them credentials that mean nothing outside the rehearsal.
  if (redirected.destinations.some((d) => d.kind === "sink")) {
    environment.set("AWS_ACCESS_KEY_ID", environment.get("AWS_ACCESS_KEY_ID") ?? "AKIAREHEARSE0000000");
    environment.set("AWS_SECRET_ACCESS_KEY", environment.get("AWS_SECRET_ACCESS_KEY") ?? "rehearse");
  }
  const secrets: RouterSecret[] = [];
  const secretFor = (variable: string, ...names: string[]): RouterSecret => {
    for (const n of [variable, ...names]) {
      const v = opts.secrets.get(n);
      if (v !== undefined) return { variable, value: v, given: true };
    }
    return { variable, value: dummySecret(variable), given: false };
  };
  for (const s of generated.secrets) secrets.push(secretFor(s.variable, s.option));
  for (const entry of arr(router.definition.secrets as unknown)) {
    const name = isObject(entry) ? str(entry.name) : undefined;
    if (name !== undefined) secrets.push(secretFor(name));
  }

  const gate = reading.gates[0];
  const probeEnv: Record<string, string> = {};
  if (gate !== undefined) {
    for (const [name, e] of gate.environment) {
      if (name.startsWith(PROBE_ENV_PREFIX) && e.value !== undefined) probeEnv[name] = e.value;
    }
  }
  const listed = probeEnv[PROBE_SETTINGS.containers.env];
  const gated =
    listed !== undefined
      ? listed
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "")
      : reading.apps.flatMap((a) => (a.name === undefined ? [] : [a.name]));
  if (listed === undefined) probeEnv[PROBE_SETTINGS.containers.env] = gated.join(",");
  if (probeEnv[PROBE_SETTINGS.agentReadyUrl.env] !== undefined) {
    delete probeEnv[PROBE_SETTINGS.agentReadyUrl.env];
    notes.push(
      "the gate waits for the Datadog Agent, which the rehearsal does not run: that check is skipped",
    );
  }
  // The rehearsal shares the router's loopback, as an awsvpc task does; host mode has only the unix socket.
  probeEnv[PROBE_SETTINGS.forward.env] =
    generated.networkMode === "host" || generated.networkMode === "none"
      ? "unix:///var/run/fluent.sock"
      : `127.0.0.1:${DEFAULT_FORWARD_PORT}`;
  probeEnv[PROBE_SETTINGS.deadline.env] ??= opts.deadline;
  if (gate === undefined)
    notes.push(`the task has no gate: the probe runs as fix would add it, gating ${gated.join(", ")}`);

  return {
    router: router.label,
    image: router.imageText,
    generated,
    configText: renderFluentBit(redirected.sections),
    s3ConfigText: opts.s3ConfigText,
    destinations: redirected.destinations,
    environment,
    secrets,
    entryPoint: stringList(router.definition.entryPoint as unknown),
    command: stringList(router.definition.command as unknown),
    user: str(router.definition.user as unknown),
    gated,
    gate: gate?.label,
    probeEnv,
    notes,
  };
}
