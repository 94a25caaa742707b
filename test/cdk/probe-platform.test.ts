/**
 * The default probe image is built for the task's CPU architecture, whatever machine synthesizes: an ARM64
 * task gets a linux/arm64 asset, a task without runtimePlatform (ECS runs it on X86_64) a linux/amd64 one.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import { describe, expect, it } from "vitest";
import { FireLensPreflightError, LogRouterPreflight } from "../../src/cdk/index.js";

function gatedTask(
  stack: Stack,
  id: string,
  runtimePlatform?: ecs.RuntimePlatform,
): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, id, { cpu: 512, memoryLimitMiB: 1024, runtimePlatform });
  task.addFirelensLogRouter("log-router", {
    containerName: "log-router",
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1"),
    firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
  });
  task.addContainer("app", {
    containerName: "app",
    image: ecs.ContainerImage.fromRegistry("public.ecr.aws/nginx/nginx:1.27"),
    logging: ecs.LogDrivers.firelens({ options: { Name: "datadog" } }),
  });
  new LogRouterPreflight(stack, `${id}Gate`, { taskDefinition: task });
  return task;
}

interface AssetManifest {
  dockerImages: Record<string, { source: { directory: string; platform?: string } }>;
}

/** The probe image each task definition runs, and the platform its asset is built for. */
function probePlatforms(app: App, stack: Stack): Record<string, string | undefined> {
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const manifest = JSON.parse(
    readFileSync(join(assembly.directory, `${stack.artifactId}.assets.json`), "utf8"),
  ) as AssetManifest;
  const template = artifact.template as {
    Resources: Record<
      string,
      { Type: string; Properties: { ContainerDefinitions: { Name: string; Image: unknown }[] } }
    >;
  };
  const out: Record<string, string | undefined> = {};
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== "AWS::ECS::TaskDefinition") continue;
    const probe = r.Properties.ContainerDefinitions.find((c) => c.Name === "log-router-preflight");
    // The image is `{ Fn::Sub: "<account>.dkr.ecr.<region>.<suffix>/<repo>:<asset hash>" }`.
    const hash = JSON.stringify(probe?.Image).match(/:([0-9a-f]{64})/)?.[1];
    expect(hash, `${id}: probe image is not an asset`).toBeDefined();
    out[id.replace(/[0-9A-F]{8}$/, "")] = manifest.dockerImages[hash as string]?.source.platform;
  }
  return out;
}

describe("default probe image platform", { timeout: 120_000 }, () => {
  it("matches each task's cpuArchitecture, X86_64 when unset", () => {
    const app = new App();
    const stack = new Stack(app, "Platforms");
    gatedTask(stack, "Arm", {
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    });
    gatedTask(stack, "Intel", {
      cpuArchitecture: ecs.CpuArchitecture.X86_64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    });
    gatedTask(stack, "Unset");
    expect(probePlatforms(app, stack)).toEqual({
      Arm: "linux/arm64",
      Intel: "linux/amd64",
      Unset: "linux/amd64",
    });
  });

  it("refuses an architecture it cannot build for, naming the way out", () => {
    const stack = new Stack(new App(), "Odd");
    expect(() =>
      gatedTask(stack, "Task", {
        cpuArchitecture: ecs.CpuArchitecture.of("RISCV"),
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      }),
    ).toThrow(FireLensPreflightError);
  });
});
