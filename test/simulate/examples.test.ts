import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixText } from "../../src/fix/index.js";
import { loadScenario, simulateCompare } from "../../src/simulate/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

const before = readFileSync("examples/seed/before.json", "utf8");
const given = parseDocument(before, "before.json").taskDefinitions[0];
const gated = parseDocument(fixText(before, "before.json", { probeImage: "probe:test" }).text, "after.json")
  .taskDefinitions[0];
const dir = "examples/scenarios";

describe("example scenarios", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    it(`${file} loads and runs on the seed task definition`, () => {
      if (!given || !gated) throw new Error("seed did not load");
      const sc = loadScenario(readFileSync(join(dir, file), "utf8"), file);
      const r = simulateCompare(given, gated, sc, { runs: 100, seed: 3, trace: false });
      for (const v of r.variants) expect(v.requests.succeeded + v.requests.failed).toBe(v.requests.sent);
      if (file.startsWith("slow-start")) {
        expect(r.variants[0]?.rollbacks).toBeGreaterThan(0);
        expect(r.variants[0]?.tasksStoppedBeforeTraffic).toBeGreaterThan(0);
      }
      if (file.startsWith("busy")) expect(r.variants[1]?.requests.failed).toBe(0);
    });
  }
});
