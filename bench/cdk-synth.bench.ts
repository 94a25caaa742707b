/**
 * Synth cost of the seed's system through our constructs, next to the same containers wired by hand into a
 * plain `ApplicationLoadBalancedFargateService`. Both run in this process, interleaved, after a warm-up, so
 * module loading and JIT are paid before timing; the figure is the ratio of medians.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as ecsPatterns from "aws-cdk-lib/aws-ecs-patterns";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { SeedStack } from "../examples/cdk-app/stack.js";
import { PROBE_DOCKERFILE } from "../src/cdk/log-router-preflight.js";
import type { BenchSection } from "./run.js";

const RUNS = 11;
/** The first synths of a process run cold (module loading, JIT); they are not what a user iterating pays. */
const WARMUP = 5;
const GOAL = 1.3;

/** What `cdk synth` runs an app with: the CLI turns construct stack traces off unless `--debug`. */
function cliApp(outdir: string): App {
  return new App({ outdir, context: { "aws:cdk:disable-stack-trace": true } });
}

export function plain(outdir: string): void {
  const app = cliApp(outdir);
  const stack = new Stack(app, "Plain");
  const secret = ecs.Secret.fromSecretsManager(
    secretsmanager.Secret.fromSecretNameV2(stack, "DatadogApiKey", "datadog/api-key"),
  );
  const datadog = (service: string): ecs.LogDriver =>
    ecs.LogDrivers.firelens({
      options: { Name: "datadog", Host: "http-intake.logs.datadoghq.com", TLS: "on", dd_service: service },
      secretOptions: { apikey: secret },
    });
  const task = new ecs.FargateTaskDefinition(stack, "Task", { cpu: 512, memoryLimitMiB: 1024 });
  const appContainer = task.addContainer("app", {
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:1.27"),
    logging: datadog("app"),
    portMappings: [{ containerPort: 80 }],
  });
  task.addFirelensLogRouter("log-router", {
    image: ecs.ContainerImage.fromRegistry(
      "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.34.2.20251210",
    ),
    firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: "firelens" }),
  });
  task.addContainer("datadog-agent", {
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/datadog/agent:7"),
    environment: { ECS_FARGATE: "true" },
    secrets: { DD_API_KEY: secret },
    logging: datadog("datadog-agent"),
  });
  task.defaultContainer = appContainer;
  new ecsPatterns.ApplicationLoadBalancedFargateService(stack, "Service", {
    taskDefinition: task,
    desiredCount: 2,
    minHealthyPercent: 100,
  });
  app.synth();
}

export function ours(outdir: string, asset: boolean): void {
  const app = cliApp(outdir);
  new SeedStack(app, "Seed", {
    probeImage: asset ? undefined : ecs.ContainerImage.fromRegistry("example.com/firelens-preflight:bench"),
  });
  app.synth();
}

function timed(fn: (outdir: string) => void, outdir?: string): number {
  const dir = outdir ?? mkdtempSync(join(tmpdir(), "flp-synth-"));
  const started = process.hrtime.bigint();
  fn(dir);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (outdir === undefined) rmSync(dir, { recursive: true, force: true });
  return ms;
}

/** Interleaved medians of two synths; `reuse` keeps one cdk.out per app across runs, as `cdk synth` in a project does. */
function compare(a: (d: string) => void, b: (d: string) => void, reuse: boolean): [number, number] {
  const dirs = reuse ? [mkdtempSync(join(tmpdir(), "flp-a-")), mkdtempSync(join(tmpdir(), "flp-b-"))] : [];
  const ta: number[] = [];
  const tb: number[] = [];
  try {
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const x = timed(a, dirs[0]);
      const y = timed(b, dirs[1]);
      if (i >= WARMUP) {
        ta.push(x);
        tb.push(y);
      }
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return [median(ta), median(tb)];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export async function run(): Promise<BenchSection> {
  const asset = existsSync(PROBE_DOCKERFILE);
  const oursFn = (dir: string): void => ours(dir, asset);
  const [plainReused, oursReused] = compare(plain, oursFn, true);
  const [plainFresh, oursFresh] = compare(plain, oursFn, false);
  const ratio = oursReused / plainReused;
  const image = asset ? "probe image as a Docker asset (staged, never built)" : "probe image from a registry";
  const how = `median of ${RUNS} interleaved in-process synths each, after ${WARMUP} warm-ups; same app, router and agent containers; ${image}; stack traces off as under the cdk CLI`;
  return {
    title: "CDK synth: seed system vs plain ALB Fargate service",
    figures: [
      {
        name: "synth time ratio, cdk.out kept between synths (FireLensDatadogFargateService / plain pattern)",
        value: `${ratio.toFixed(2)} ×`,
        goal: `≤ ${GOAL} ×`,
        met: ratio <= GOAL,
        how: `${how}; each app keeps its cdk.out across runs, as repeated \`cdk synth\` in a project does (staged assets are reused)`,
      },
      {
        name: "synth time ratio, fresh cdk.out every synth",
        value: `${(oursFresh / plainFresh).toFixed(2)} ×`,
        how: `${how}; a new cdk.out each run, so the probe asset is staged (copied) every time`,
      },
      {
        name: "synth time, seed system (cdk.out kept / fresh)",
        value: `${oursReused.toFixed(0)} ms / ${oursFresh.toFixed(0)} ms`,
      },
      {
        name: "synth time, plain pattern (cdk.out kept / fresh)",
        value: `${plainReused.toFixed(0)} ms / ${plainFresh.toFixed(0)} ms`,
      },
    ],
  };
}
