/**
 * The probe's own `logConfiguration`. By default it copies the first gated container's awsfirelens one, so the
 * probe's progress travels the same output; it copies only what ECS accepts, so a fixed task definition never
 * fails registration where its input passed. `--probe-logs awslogs:<group>` sends it to CloudWatch Logs instead.
 *
 * A plain secret in the source's `options` (an `apikey` written in clear, FLP301) is never copied: that would
 * write the secret somewhere new. Nor is it silently left out: without its key the preflight's own output (the
 * Datadog one, say) fails every flush, and the probe, which judges every output's retries, would fail a healthy
 * router. `fix` refuses instead, naming the option and both ways forward (`secretOptions`, or `--probe-logs`).
 */
import { isObject, looksSecret, str } from "../model/index.js";
import { isIntrinsic } from "../taskdef/index.js";
import type { TaskDefinitionView } from "../taskdef/model.js";
import { FixError } from "./errors.js";

export interface CopiedLogConfiguration {
  /** `undefined` when nothing valid was left to copy. */
  readonly value: Record<string, unknown> | undefined;
  /** What was left out and why, for the user's notes. */
  readonly dropped: readonly string[];
  /** Option keys whose values are plain secrets (never copied; the caller refuses). */
  readonly plainSecrets: readonly string[];
}

/** A string, or a value only known at deploy time (which ECS will see as a string). */
function stringLike(value: unknown): boolean {
  return typeof value === "string" || isIntrinsic(value);
}

/**
 * The parts of a logConfiguration that `RegisterTaskDefinition` accepts: a string `logDriver`, `options` as a map
 * of strings, `secretOptions` as a list of `{name, valueFrom}`. `null` and empty collections are left out.
 */
export function copyableLogConfiguration(source: unknown): CopiedLogConfiguration {
  if (!isObject(source) || !stringLike(source.logDriver)) {
    return {
      value: undefined,
      dropped: ["the logConfiguration has no logDriver ECS would accept"],
      plainSecrets: [],
    };
  }
  const dropped: string[] = [];
  const plain: string[] = [];
  const out: Record<string, unknown> = { logDriver: source.logDriver };
  const options: unknown = source.options;
  if (isObject(options)) {
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(options)) {
      if (looksSecret(key, options[key])) plain.push(key);
      else if (stringLike(options[key])) kept[key] = options[key];
      else dropped.push(`option '${key}' (not a string)`);
    }
    if (Object.keys(kept).length > 0) out.options = kept;
  } else if (options !== undefined && options !== null) {
    dropped.push("options (not a map of strings)");
  }
  const secrets: unknown = source.secretOptions;
  if (Array.isArray(secrets)) {
    const kept = secrets.filter((s) => isObject(s) && stringLike(s.name) && stringLike(s.valueFrom));
    if (kept.length < secrets.length)
      dropped.push(`${secrets.length - kept.length} secretOptions entry(ies) without name and valueFrom`);
    if (kept.length > 0) out.secretOptions = kept;
  } else if (secrets !== undefined && secrets !== null) {
    dropped.push("secretOptions (not a list)");
  }
  for (const key of Object.keys(source)) {
    if (key !== "logDriver" && key !== "options" && key !== "secretOptions")
      dropped.push(`'${key}' (not a logConfiguration field)`);
  }
  return { value: out, dropped, plainSecrets: plain };
}

const AWSLOGS_SPEC = /^awslogs:([^:]+)(?::([a-z]{2}(?:-[a-z]+)+-\d))?$/;

/** `awslogs:<group>[:<region>]` → the probe's logConfiguration, or a FixError saying what is missing. */
export function probeLogConfiguration(
  spec: string,
  td: TaskDefinitionView,
  file: string,
  containerName: string,
): Record<string, unknown> {
  const match = AWSLOGS_SPEC.exec(spec.trim());
  if (!match) {
    throw new FixError(
      "bad-option",
      file,
      `{option} must be awslogs:<log group> or awslogs:<log group>:<region> (got "${spec}"). Nothing was written.`,
      "probeLogs",
    );
  }
  const group = match[1] as string;
  let region: unknown = match[2];
  for (const c of td.containers) {
    if (region !== undefined) break;
    const lc: unknown = c.definition.logConfiguration;
    if (!isObject(lc) || str(lc.logDriver) !== "awslogs" || !isObject(lc.options)) continue;
    region = lc.options["awslogs-region"];
  }
  if (region === undefined) {
    throw new FixError(
      "bad-option",
      file,
      `${td.id}: {option} ${spec}: no container of the task logs with awslogs, so the region is unknown; write awslogs:${group}:<region>. Nothing was written.`,
      "probeLogs",
    );
  }
  return {
    logDriver: "awslogs",
    options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": containerName },
  };
}
