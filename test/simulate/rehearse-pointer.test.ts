/**
 * `simulate` points at `rehearse` when the task's router has a known first-flush crash (issue 24 item 6): the
 * model's reading of the router image's known bugs, the one FLP202 lints with.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { knownFirstFlushCrashes, readTask, routerImage } from "../../src/model/index.js";
import { defaultScenario, renderSummary, simulate } from "../../src/simulate/index.js";
import type { ContainerDefinition } from "../../src/taskdef/model.js";

const SEED = "examples/seed/before.json";

function seedContainers(image?: string): ContainerDefinition[] {
  const task = JSON.parse(readFileSync(SEED, "utf8")) as { containerDefinitions: ContainerDefinition[] };
  return task.containerDefinitions.map((c) =>
    image !== undefined && typeof c.image === "string" && c.image.includes("aws-for-fluent-bit")
      ? { ...c, image }
      : c,
  );
}

function run(containers: ContainerDefinition[]) {
  return simulate(containers, defaultScenario(), { runs: 5, seed: 1, trace: false });
}

describe("simulate's pointer at rehearse", () => {
  it("the seed's aws-for-fluent-bit 2.19.0 with Datadog provider ecs: a line in the text, a field in the JSON", () => {
    const result = run(seedContainers());
    const crashes = result.variants[0]?.plan.knownFirstFlushCrashes ?? [];
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatchObject({
      image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0",
      version: "aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)",
    });
    expect(crashes[0]?.bugs.some((b) => b.startsWith("A "))).toBe(true);
    const text = renderSummary(result, SEED);
    expect(text).toContain(
      "router public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0 has a known first-flush crash (aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3): A (",
    );
    expect(text).toContain(`run \`firelens-preflight rehearse ${SEED}\` to see it before deploying`);
    expect(text.match(/has a known first-flush crash/g)).toHaveLength(1);
    const json = JSON.parse(JSON.stringify(result)) as typeof result;
    expect(json.variants[0]?.plan.knownFirstFlushCrashes).toEqual(crashes);
  });

  it("a router version with the bugs fixed: no pointer, an empty field", () => {
    const image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2.20240627";
    // The model reads the version (so no pointer is not an unknown version's silence)...
    expect(routerImage(image).fluentBit).toBeDefined();
    const containers = seedContainers(image);
    const task = readTask({
      id: "t",
      path: [],
      containersKey: null,
      taskDefinition: { containerDefinitions: containers },
      containers: containers.map((definition, index) => ({
        name: definition.name as string,
        index,
        definition,
        path: [index],
      })),
    });
    expect(knownFirstFlushCrashes(task)).toEqual([]);
    const result = run(containers);
    expect(result.variants[0]?.plan.knownFirstFlushCrashes).toEqual([]);
    expect(renderSummary(result, SEED)).not.toContain("rehearse");
  });
});
