/**
 * The seed's task definition (examples/seed/before.json: log-router, dd-agent, app on Fargate behind an ALB)
 * as hand-built container lists: as it was (`given`) and with the gate `fix` inserts (`gated`, README.md
 * "The gate").
 */
import type { ContainerDefinition } from "../../src/taskdef/model.js";

const firelens = { logDriver: "awsfirelens" as const, options: { Name: "datadog" } };

export const router: ContainerDefinition = {
  name: "log-router",
  image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0",
  essential: true,
  firelensConfiguration: { type: "fluentbit" },
};

export const agent: ContainerDefinition = {
  name: "dd-agent",
  image: "public.ecr.aws/datadog/agent:7.31.0",
  essential: true,
  logConfiguration: firelens,
};

export const app: ContainerDefinition = {
  name: "app",
  image: "example/app:latest",
  essential: true,
  portMappings: [{ containerPort: 8080 }],
  logConfiguration: firelens,
};

export const probe: ContainerDefinition = {
  name: "log-router-preflight",
  image: "ghcr.io/example/firelens-preflight:latest",
  essential: false,
  environment: [{ name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" }],
  dependsOn: [
    { containerName: "log-router", condition: "START" },
    { containerName: "dd-agent", condition: "START" },
  ],
  logConfiguration: firelens,
};

/** The seed's own workaround: sleeps 30 s and verifies nothing. */
export const sleepPreflight: ContainerDefinition = {
  name: "log-router-preflight",
  image: "public.ecr.aws/amazonlinux/amazonlinux:2023-minimal",
  essential: false,
  command: ["sh", "-c", "for i in $(seq 1 3); do echo preflight alive; sleep 10; done"],
  dependsOn: [
    { containerName: "log-router", condition: "START" },
    { containerName: "dd-agent", condition: "START" },
  ],
  logConfiguration: firelens,
};

const gatedApp: ContainerDefinition = {
  ...app,
  dependsOn: [{ containerName: "log-router-preflight", condition: "SUCCESS" }],
};

export const given: ContainerDefinition[] = [router, agent, app];
export const gated: ContainerDefinition[] = [router, agent, probe, gatedApp];
export const sleepGated: ContainerDefinition[] = [router, agent, sleepPreflight, gatedApp];
