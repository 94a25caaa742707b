/**
 * Issue 23 item 13: the memory budget as ECS counts it. Reservations (memoryReservation, else memory) add up
 * against the task memory; a hard limit only has to fit the task memory on its own. A CDK-shaped task whose app
 * has `memoryLimitMiB` equal to the task memory and a smaller reservation fits the gate.
 */
import { describe, expect, it } from "vitest";
import { FixError, fixText } from "../../src/fix/index.js";

const PROBE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/firelens-preflight:0.1.0";

/** A CDK-synthesized template: Fargate 256/512, the app's hard limit the whole task memory. */
function cdkTemplate(app: { Memory?: number; MemoryReservation?: number }, router: number): string {
  return JSON.stringify(
    {
      Resources: {
        TaskDef54694570: {
          Type: "AWS::ECS::TaskDefinition",
          Properties: {
            Cpu: "256",
            Memory: "512",
            NetworkMode: "awsvpc",
            RequiresCompatibilities: ["FARGATE"],
            ContainerDefinitions: [
              {
                Essential: true,
                FirelensConfiguration: { Type: "fluentbit" },
                Image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.5",
                MemoryReservation: router,
                Name: "log-router",
              },
              {
                Essential: true,
                Image: "nginx:1.27",
                ...app,
                LogConfiguration: {
                  LogDriver: "awsfirelens",
                  Options: { Name: "cloudwatch_logs", region: "eu-west-1", log_group_name: "web" },
                },
                Name: "web",
                PortMappings: [{ ContainerPort: 80, Protocol: "tcp" }],
              },
            ],
          },
        },
      },
    },
    null,
    2,
  );
}

function budgetError(text: string): FixError {
  try {
    fixText(text, "cdk.out/Stack.template.json", { probeImage: PROBE });
  } catch (e) {
    if (e instanceof FixError && e.kind === "budget") return e;
    throw e;
  }
  throw new Error("no budget refusal");
}

describe("memory budget", () => {
  it("gates a task whose app's hard limit equals the task memory when the reservations fit", () => {
    const r = fixText(
      cdkTemplate({ Memory: 512, MemoryReservation: 256 }, 50),
      "cdk.out/Stack.template.json",
      { probeImage: PROBE },
    );
    expect(r.changed).toBe(true);
    expect(r.plan.tasks[0]?.status).toBe("gated");
  });

  it("counts memory where no reservation is written", () => {
    // 50 + 430 + 32 = 512: exactly full fits.
    expect(fixText(cdkTemplate({ Memory: 430 }, 50), "s.json", { probeImage: PROBE }).changed).toBe(true);
    // 50 + 440 + 32 = 522 > 512.
    const e = budgetError(cdkTemplate({ Memory: 440 }, 50));
    expect(e.message).toContain(
      "add up to 490 MiB of the task's 512 MiB, and the preflight reserves 32 MiB more (490 + 32 = 522 > 512)",
    );
    expect(e.message).toContain("raise the task memory to 1024 MiB (a valid Fargate size for cpu 256)");
  });

  it("refuses when the reservations cannot hold the gate, with the figures", () => {
    const e = budgetError(cdkTemplate({ Memory: 512, MemoryReservation: 450 }, 50));
    expect(e.message).toContain(
      "the containers' memory reservations (memoryReservation, else memory) add up to 500 MiB of the task's 512 MiB, and the preflight reserves 32 MiB more (500 + 32 = 532 > 512)",
    );
  });

  it("says so when a hard limit alone is above the task memory", () => {
    const r = fixText(cdkTemplate({ Memory: 1024, MemoryReservation: 128 }, 50), "s.json", {
      probeImage: PROBE,
    });
    expect(r.notes.join("\n")).toContain(
      "container 'web' has a hard memory limit of 1024 MiB, above the task's 512 MiB",
    );
  });
});
