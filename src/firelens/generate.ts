/**
 * The router's configuration exactly as the ECS agent generates it for a task, from the model's reading of the
 * task (which container is the router, which containers log through it). Pure: model → sections → text.
 *
 * Where each outcome is decided in https://github.com/aws/amazon-ecs-agent (read at commits 52a57fff of
 * `firelensconfig_unix.go` and 308acaa2 of `firelens_unix.go`; the agent's own expected output is in
 * `firelensconfig_unix_test.go`, whose Fluent Bit case this project's tests replay):
 * - `agent/taskresource/firelens/firelensconfig_unix.go` `generateConfig`: the unix-socket forward input at
 *   `/var/run/fluent.sock`; for `bridge` and `awsvpc` a TCP forward input on 24224 (`Listen 0.0.0.0` in bridge,
 *   `127.0.0.1` in awsvpc) and `addHealthcheckSections` (a `tcp` input tagged `firelens-healthcheck` on
 *   127.0.0.1:8877 and a `null` output matching it, added before any container's output); the ECS metadata
 *   `record_modifier` on `*`; one output per container, `Match <name>-firelens*`; the external config included
 *   after the filters, a `s3` one from `/fluent-bit/etc/external.conf`.
 * - `addOutputSection`: `Name` picks the plugin and is not repeated among the options; `include-pattern` and
 *   `exclude-pattern` become grep filters on `log`; every other option is copied as is; options without `Name`
 *   are an error, no options at all give no output.
 * - `agent/taskresource/firelens/firelens_unix.go` `parseOptions`: `enable-ecs-log-metadata` read with Go's
 *   `strconv.ParseBool` (an unreadable value is ignored with a warning, which leaves metadata off); a
 *   `config-file-type` other than `s3`/`file`, or without `config-file-value`, is an error.
 * - `agent/api/task/task.go` `collectFirelensLogOptions` (the `log-driver-buffer-limit` option goes to Docker,
 *   not to the router) and `collectFirelensLogEnvOptions`: each `secretOptions` entry becomes the option value
 *   `${<name>_<container index>}`, and the router gets an environment variable of that name holding the secret.
 */
import type { ContainerReading, TaskReading } from "../model/index.js";
import { arr, firelensTypeOf, isObject, optionsOf, str } from "../model/index.js";
import { type FluentBitSections, type LogPipe, type RegexFilter, renderFluentBit } from "./template.js";

export const SOCKET_PATH = "/var/run/fluent.sock";
/** Where the agent mounts the generated file in a Fluent Bit router. */
export const CONFIG_PATH = "/fluent-bit/etc/fluent-bit.conf";
/** Where the agent mounts a `config-file-type: s3` file it downloaded. */
export const S3_CONFIG_PATH = "/fluent-bit/etc/external.conf";
export const FORWARD_PORT = 24224;
export const HEALTHCHECK_PORT = 8877;
export const HEALTHCHECK_TAG = "firelens-healthcheck";

export type NetworkMode = "awsvpc" | "bridge" | "host" | "none";

export interface GenerateOptions {
  /** `ecs_cluster`. */
  readonly cluster: string;
  /** `ecs_task_arn`. */
  readonly taskArn: string;
  /** `ecs_task_definition` (`family:revision`). */
  readonly taskDefinition: string;
  /** `ec2_instance_id`, only on EC2 (the agent leaves it out on Fargate). */
  readonly ec2InstanceId?: string;
  /** Overrides the task's own network mode. */
  readonly networkMode?: NetworkMode;
}

/** An environment variable the agent gives the router for a `secretOptions` entry. */
export interface SecretVariable {
  /** `<secret name>_<container index>`. */
  readonly variable: string;
  readonly container: string;
  readonly option: string;
  /** The secret's ARN or parameter name, as written. */
  readonly valueFrom: string;
}

/** One awsfirelens container's output, before and after the agent's rewriting. */
export interface ContainerOutput {
  readonly container: string;
  readonly plugin: string;
  /** `<name>-firelens*`. */
  readonly match: string;
  /** The options as rendered (secrets as `${…}` references). */
  readonly options: Readonly<Record<string, string>>;
}

export interface ExternalConfig {
  readonly type: "file" | "s3";
  /** `config-file-value` as written: a path in the image, or an S3 ARN. */
  readonly value: string;
  /** The path the generated file includes. */
  readonly includePath: string;
}

export interface GeneratedConfig {
  readonly text: string;
  readonly sections: FluentBitSections;
  readonly networkMode: NetworkMode;
  readonly ecsMetadata: boolean;
  readonly outputs: readonly ContainerOutput[];
  readonly secrets: readonly SecretVariable[];
  readonly external: ExternalConfig | undefined;
  /** Things the agent would only warn about (an unreadable `enable-ecs-log-metadata`). */
  readonly warnings: readonly string[];
}

/** The agent would fail the task (or we cannot know what it would write until deploy time). */
export class FirelensConfigError extends Error {
  override readonly name = "FirelensConfigError";
}

/** Go's strconv.ParseBool. */
function parseBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

/** A string value of the task definition, or an error saying it is only known at deploy time. */
function literal(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new FirelensConfigError(
    `${where} is only known at deploy time; the configuration cannot be generated`,
  );
}

export function networkModeOf(reading: TaskReading): NetworkMode {
  const td = reading.taskDefinition.taskDefinition;
  const raw = str(td.networkMode as unknown)?.toLowerCase();
  if (raw === "awsvpc" || raw === "bridge" || raw === "host" || raw === "none") return raw;
  // Fargate accepts only awsvpc; on EC2 an omitted networkMode is bridge (RegisterTaskDefinition).
  const compat = arr(td.requiresCompatibilities as unknown).map((c) => String(c).toUpperCase());
  return compat.includes("FARGATE") ? "awsvpc" : "bridge";
}

/** The options one awsfirelens container hands the agent, secrets as the agent's `${…}` references. */
function logOptionsOf(c: ContainerReading, secrets: SecretVariable[]): Record<string, string> {
  const out: Record<string, string> = {};
  const logConfiguration: unknown = c.definition.logConfiguration;
  const options = optionsOf(logConfiguration);
  for (const key in options) {
    // collectFirelensLogOptions: this one configures Docker's buffer, not the router.
    if (key === "log-driver-buffer-limit") continue;
    out[key] = literal(options[key], `option ${key} of container ${c.label}`);
  }
  const secretOptions = isObject(logConfiguration) ? arr(logConfiguration.secretOptions) : [];
  for (const entry of secretOptions) {
    if (!isObject(entry)) continue;
    const name = literal(entry.name, `a secretOptions name of container ${c.label}`);
    const variable = `${name}_${c.index}`;
    out[name] = `\${${variable}}`;
    secrets.push({
      variable,
      container: c.label,
      option: name,
      valueFrom: typeof entry.valueFrom === "string" ? entry.valueFrom : "(deploy-time value)",
    });
  }
  return out;
}

/** The router's configuration for this task, as the ECS agent would write it. */
export function generateFirelensConfig(reading: TaskReading, opts: GenerateOptions): GeneratedConfig {
  const router = reading.router;
  if (router === undefined)
    throw new FirelensConfigError("the task has no container with a firelensConfiguration");
  const type = firelensTypeOf(router.definition);
  if (type !== "fluentbit") {
    throw new FirelensConfigError(
      type === "fluentd"
        ? "the router is Fluentd (firelensConfiguration type fluentd): only Fluent Bit routers can be rehearsed"
        : `invalid firelens configuration type: ${type ?? "(none)"}`,
    );
  }
  const warnings: string[] = [];
  const routerOptions = optionsOf(router.definition.firelensConfiguration as unknown);
  let ecsMetadata = true;
  if ("enable-ecs-log-metadata" in routerOptions) {
    const raw = literal(routerOptions["enable-ecs-log-metadata"], "enable-ecs-log-metadata");
    const b = parseBool(raw);
    if (b === undefined) {
      // The agent warns and ignores it; the field keeps Go's zero value, so metadata is off.
      warnings.push(`enable-ecs-log-metadata "${raw}" is not a boolean: the agent ignores it (metadata off)`);
      ecsMetadata = false;
    } else {
      ecsMetadata = b;
    }
  }
  let external: ExternalConfig | undefined;
  if ("config-file-type" in routerOptions) {
    const t = literal(routerOptions["config-file-type"], "config-file-type");
    if (t !== "s3" && t !== "file") {
      throw new FirelensConfigError(`invalid value ${t} is specified for option config-file-type`);
    }
    if (!("config-file-value" in routerOptions)) {
      throw new FirelensConfigError(
        "option config-file-type is specified but config-file-value is not specified",
      );
    }
    const value = literal(routerOptions["config-file-value"], "config-file-value");
    external = { type: t, value, includePath: t === "file" ? value : S3_CONFIG_PATH };
  }

  const networkMode = opts.networkMode ?? networkModeOf(reading);
  const inputs: LogPipe[] = [{ name: "forward", tag: "", options: { unix_path: SOCKET_PATH } }];
  const outputs: LogPipe[] = [];
  if (networkMode === "bridge" || networkMode === "awsvpc") {
    inputs.push({
      name: "forward",
      tag: "",
      options: { Listen: networkMode === "bridge" ? "0.0.0.0" : "127.0.0.1", Port: String(FORWARD_PORT) },
    });
    inputs.push({
      name: "tcp",
      tag: HEALTHCHECK_TAG,
      options: { Listen: "127.0.0.1", Port: String(HEALTHCHECK_PORT) },
    });
    outputs.push({ name: "null", tag: HEALTHCHECK_TAG, options: {} });
  }
  const modifyRecords = new Map<string, Record<string, string>>();
  if (ecsMetadata) {
    const fields: Record<string, string> = {
      ecs_cluster: opts.cluster,
      ecs_task_arn: opts.taskArn,
      ecs_task_definition: opts.taskDefinition,
    };
    if (opts.ec2InstanceId !== undefined && opts.ec2InstanceId !== "")
      fields.ec2_instance_id = opts.ec2InstanceId;
    modifyRecords.set("*", fields);
  }

  const includeFilters: RegexFilter[] = [];
  const excludeFilters: RegexFilter[] = [];
  const containerOutputs: ContainerOutput[] = [];
  const secrets: SecretVariable[] = [];
  // The agent ranges over a Go map (random order between runs); we keep the task definition's order.
  for (const c of reading.firelensUsers) {
    const logOptions = logOptionsOf(c, secrets);
    const tag = `${c.label}-firelens*`;
    const outputOptions: Record<string, string> = {};
    for (const [key, value] of Object.entries(logOptions)) {
      if (key === "Name") continue;
      if (key === "include-pattern") includeFilters.push({ regex: value, key: "log", tag });
      else if (key === "exclude-pattern") excludeFilters.push({ regex: value, key: "log", tag });
      else outputOptions[key] = value;
    }
    const plugin = logOptions.Name;
    if (plugin === undefined) {
      if (Object.keys(outputOptions).length > 0) {
        throw new FirelensConfigError(
          `unable to apply log options of container ${c.label} to firelens config: missing output key Name which is required for firelens configuration of type fluentbit`,
        );
      }
      continue;
    }
    outputs.push({ name: plugin, tag, options: outputOptions });
    containerOutputs.push({ container: c.label, plugin, match: tag, options: outputOptions });
  }
  const sections: FluentBitSections = {
    inputs,
    includeFilters,
    excludeFilters,
    modifyRecords,
    includeAfterFilters: external === undefined ? [] : [external.includePath],
    outputs,
  };
  return {
    text: renderFluentBit(sections),
    sections,
    networkMode,
    ecsMetadata,
    outputs: containerOutputs,
    secrets,
    external,
    warnings,
  };
}
