/**
 * Issue 23 item 15: a gate whose deadline the probe refuses exits 2 in every task, so the app never starts.
 * The plan's verdict (which `check` prints) must not call such a task "gated".
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildStartupPlan } from "../../src/plan/index.js";
import { parseDocument } from "../../src/taskdef/index.js";

function verdictWithDeadline(deadline: string): string {
  const text = readFileSync("examples/seed/after.json", "utf8").replace('"60s"', JSON.stringify(deadline));
  const td = parseDocument(text, "after.json").taskDefinitions[0];
  if (td === undefined) throw new Error("no task definition");
  return buildStartupPlan(td).verdict;
}

describe("the verdict of a gate the probe would refuse", () => {
  it("calls the seed's gate with its own 60s deadline gated", () => {
    expect(verdictWithDeadline("60s")).toMatch(/^gated: /);
  });

  for (const deadline of ["0s", "50ms", "25h"]) {
    it(`says a ${deadline} deadline never opens the gate`, () => {
      const verdict = verdictWithDeadline(deadline);
      expect(verdict).not.toMatch(/^gated/);
      expect(verdict).toContain("gate 'log-router-preflight' never opens");
      expect(verdict).toContain("'app' never starts");
    });
  }
});
