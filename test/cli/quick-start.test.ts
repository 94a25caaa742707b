/** The README's quick start runs as written: its first command, after `npm ci`, is the CLI on the seed. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("README quick start", () => {
  it("its first command checks the seed: the hazard before the gate, clean after it", () => {
    const command = readFileSync("README.md", "utf8").match(/```sh\nnpm ci && (.+)\nnpm test\n```/)?.[1];
    expect(command).toBe("node dist/cli/main.js check examples/seed");
    const run = spawnSync("sh", ["-c", command as string], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("examples/seed/before.json:54:7  error  FLP201");
    expect(run.stdout).toContain("startup: log-router, dd-agent → log-router-preflight → app");
  });
});
