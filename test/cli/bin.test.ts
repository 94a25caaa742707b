/**
 * The few things only a real process shows, through the bin itself (dist/cli/main.js): its exit status, a reader
 * that closes the pipe early, and that the in-process runs the other CLI tests make (test/support/cli.ts) answer
 * exactly as the bin does, so those tests speak for the shipped program.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, spawnCli } from "../support/cli.js";

const SEED = "examples/seed/before.json";
const AFTER = "examples/seed/after.json";

describe("the bin as a process", () => {
  it.each([
    ["findings: exit 1", ["check", SEED]],
    ["clean: exit 0", ["lint", AFTER]],
    ["JSON from stdin", ["check", "-", "-f", "json"]],
    ["a usage error: exit 2 with the usage line", ["lint", SEED, "--fail-on", "sometimes"]],
    ["a missing file: exit 2", ["plan", "examples/seed/nope.json"]],
    ["--version", ["--version"]],
    ["--help of a command", ["fix", "--help"]],
  ] as const)("answers as the in-process run does: %s", (_name, args) => {
    const input = (args as readonly string[]).includes("-")
      ? spawnSync("cat", [SEED], { encoding: "utf8" }).stdout
      : undefined;
    const spawned = spawnCli(args, input);
    expect(spawned.signal).toBeNull();
    const { signal: _signal, ...asProcess } = spawned;
    expect(cli(args, input)).toEqual(asProcess);
  });

  it("a reader that closes the pipe early (`| head -c 1`) is not an output error", () => {
    const bin = resolve("dist/cli/main.js");
    // About 200 KB of SARIF, more than a pipe holds, so the CLI is still writing when head leaves.
    const command = `"${process.execPath}" "${bin}" check test/fixtures -f sarif`;
    const options = { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } } as const;
    const whole = spawnSync("bash", ["-c", `set -o pipefail; ${command} >/dev/null`], options);
    const cut = spawnSync("bash", ["-c", `set -o pipefail; ${command} | head -c 1 >/dev/null`], options);
    // The run's own status when every byte went out before head left, 0 when the pipe closed first; never
    // an output error's words on stderr.
    expect([0, whole.status]).toContain(cut.status);
    expect(cut.stderr).not.toContain("cannot write");
    expect(cut.stderr.replace(/^note: .*\n/gm, "")).toBe("");
  });
});
