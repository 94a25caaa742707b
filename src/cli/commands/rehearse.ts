import { readFile } from "node:fs/promises";
import { FirelensConfigError } from "../../firelens/index.js";
import { readTask } from "../../model/index.js";
import { packageVersion } from "../../package-info.js";
import { parseDurationMs } from "../../probe/contract.js";
import { type EngineName, RehearseSetupError, rehearse, renderRehearseText } from "../../rehearse/index.js";
import type { TaskDefinitionView } from "../../taskdef/index.js";
import { InputError, ioReason, UsageError } from "../errors.js";
import { emit, refuseInputAsOutput, type Streams } from "../io.js";
import { loadSingle } from "./lint-shared.js";

export interface RehearseCommandOptions {
  readonly task?: string;
  readonly engine?: EngineName;
  readonly pull: "missing" | "always" | "never";
  readonly routerImage?: string;
  readonly probeImage?: string;
  readonly secret?: readonly string[];
  readonly configFile?: string;
  readonly soak: string;
  readonly gateOnly?: boolean;
  readonly realDestinations?: boolean;
  readonly deadline: string;
  readonly intakeStatus: string;
  readonly format: "text" | "json";
  readonly output?: string;
  readonly maxSize?: number;
}

/** The image `npm run image` builds (scripts/probe-image.mjs). */
function defaultProbeImage(): string {
  return `localhost/firelens-preflight-probe:${packageVersion()}`;
}

function parseSecrets(specs: readonly string[], env: Streams["env"]): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of specs) {
    const at = spec.indexOf("=");
    if (at <= 0) throw new UsageError("--secret takes NAME=VALUE or NAME=env:VAR");
    const name = spec.slice(0, at);
    let value = spec.slice(at + 1);
    if (value.startsWith("env:")) {
      const variable = value.slice(4);
      const v = env[variable];
      if (v === undefined) throw new UsageError(`--secret ${name}=env:${variable}: ${variable} is not set`);
      value = v;
    }
    out.set(name, value);
  }
  return out;
}

function pick(
  views: readonly TaskDefinitionView[],
  id: string | undefined,
  file: string,
): TaskDefinitionView {
  if (views.length === 0) throw new UsageError(`${file}: no task definition to rehearse`);
  if (id === undefined) {
    if (views.length > 1)
      throw new UsageError(
        `${file} has ${views.length} task definitions (${views.map((v) => v.id).join(", ")}); choose one with --task`,
      );
    return views[0] as TaskDefinitionView;
  }
  const view = views.find((v) => v.id === id);
  if (view === undefined)
    throw new UsageError(`--task ${id}: not in ${file} (has ${views.map((v) => v.id).join(", ")})`);
  return view;
}

function duration(text: string, flag: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms < 0)
    throw new UsageError(`${flag} must be a duration such as 10s or 1500ms (got "${text}")`);
  return ms;
}

export async function runRehearse(
  file: string,
  opts: RehearseCommandOptions,
  streams: Streams,
): Promise<number> {
  const soakMs = duration(opts.soak, "--soak");
  duration(opts.deadline, "--deadline");
  const intakeStatus = Number(opts.intakeStatus);
  const secrets = parseSecrets(opts.secret ?? [], streams.env);
  const { doc, read } = await loadSingle(file, opts.maxSize, streams.stdin);
  await refuseInputAsOutput("--output", opts.output, read);
  const view = pick(doc.taskDefinitions, opts.task, doc.file);
  let s3ConfigText: string | undefined;
  if (opts.configFile !== undefined) {
    try {
      s3ConfigText = await readFile(opts.configFile, "utf8");
    } catch (error) {
      throw new InputError(opts.configFile, `cannot read: ${ioReason(error)}`);
    }
  }
  // A closed stderr (`| head`) must not end the process before it removed its containers.
  streams.stderr.on?.("error", () => {});
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const report = await rehearse(readTask(view), {
      ...(opts.engine === undefined ? {} : { engine: opts.engine }),
      pull: opts.pull,
      ...(opts.routerImage === undefined ? {} : { routerImage: opts.routerImage }),
      probeImage: opts.probeImage ?? defaultProbeImage(),
      secrets,
      soakMs,
      gateOnly: opts.gateOnly === true,
      realDestinations: opts.realDestinations === true,
      ...(s3ConfigText === undefined ? {} : { s3ConfigText }),
      deadline: opts.deadline,
      intakeStatus,
      env: { ...streams.env },
      signal: controller.signal,
      onProgress: opts.format === "text" ? (line) => streams.stderr.write(`rehearse: ${line}\n`) : undefined,
    });
    const text = opts.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderRehearseText(report);
    await emit(text, { output: opts.output, text: opts.format !== "json" }, streams);
    return report.exitCode;
  } catch (error) {
    if (error instanceof FirelensConfigError || error instanceof RehearseSetupError) {
      streams.stderr.write(`rehearse: cannot rehearse ${doc.file}: ${error.message}\n`);
      return 2;
    }
    if (controller.signal.aborted) {
      streams.stderr.write("rehearse: interrupted; every container it started was removed\n");
      return 130;
    }
    throw error;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
