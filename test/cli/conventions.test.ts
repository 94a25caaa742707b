/**
 * GNU conventions on every command, through the built CLI as a child process: usage errors exit 2 with the
 * command's usage line; a repeatable option takes one value per flag and never swallows the files after it;
 * files go before or after options; `-f json` and `-o` on every command that prints results.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const BEFORE = "examples/seed/before.json";
const AFTER = "examples/seed/after.json";
const TASKS = "examples/seed/incident/describe-tasks.json";
const SERVICES = "examples/seed/incident/describe-services.json";

/** One invocation per command that reads a file and prints a result. */
const COMMANDS: Record<string, readonly string[]> = {
  check: ["check", BEFORE],
  lint: ["lint", BEFORE],
  plan: ["plan", AFTER],
  fix: ["fix", BEFORE, "--probe-image", "example.com/probe:1"],
  simulate: ["simulate", BEFORE, "-n", "20"],
  diagnose: ["diagnose", TASKS],
};

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "flp-cli-"));
}

describe("usage errors", () => {
  it.each(Object.keys(COMMANDS))("%s: a missing argument exits 2 with the command's usage line", (name) => {
    const run = cli([name]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: /);
    expect(run.stderr).toContain(`usage: firelens-preflight ${name} [options]`);
    expect(run.stderr).toContain(`Run 'firelens-preflight ${name} --help' for more information.`);
    expect(run.stdout).toBe("");
  });

  it.each(Object.keys(COMMANDS))("%s: an unknown option exits 2 with the command's usage line", (name) => {
    const run = cli([...(COMMANDS[name] as string[]), "--no-such-option"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--no-such-option'");
    expect(run.stderr).toContain(`usage: firelens-preflight ${name} [options]`);
  });

  it("an unknown command and no command at all are usage errors too", () => {
    const unknown = cli(["chek", BEFORE]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'chek'");
    const none = cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: firelens-preflight [options] [command]");
  });

  it("a bad value for a flag with fixed choices names the choices", () => {
    const run = cli(["plan", AFTER, "-f", "svg"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Allowed choices are text, mermaid, dot, json.");
    expect(run.stderr).toContain("usage: firelens-preflight plan [options] [files...]");
  });

  it("help and version exit 0", () => {
    expect(cli(["check", "--help"]).code).toBe(0);
    expect(cli(["--version"]).code).toBe(0);
  });
});

describe("repeatable options and operand order", () => {
  const suppressRouter = "FLP202[log-router]=upgrade planned with the Q3 platform work";
  const suppressApp = "FLP212[app]=provider ecs is removed in the same change";

  it("--suppress a --suppress b FILE: each flag takes one value, the file stays a file", () => {
    const run = cli(["check", "--suppress", suppressRouter, "--suppress", suppressApp, BEFORE, "-f", "json"]);
    const report = JSON.parse(run.stdout) as {
      files: { file: string; findings: { ruleId: string; suppressed?: unknown }[] }[];
    };
    expect(report.files.map((f) => f.file)).toEqual([BEFORE]);
    const suppressed = report.files[0]?.findings
      .filter((f) => f.suppressed !== undefined)
      .map((f) => f.ruleId);
    expect(suppressed?.sort()).toEqual(["FLP202", "FLP212"]);
    expect(run.code).toBe(1); // FLP201 is still there
  });

  it("FILE --suppress a: options after the files", () => {
    const run = cli(["lint", BEFORE, "--suppress", suppressRouter, "-f", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { summary: { suppressed: number } };
    expect(report.summary.suppressed).toBe(1);
  });

  it("diagnose FILE --services S1 --services S2, and --services S FILE, read the services and the tasks", () => {
    for (const args of [
      [TASKS, "--services", SERVICES, "--services", SERVICES],
      ["--services", SERVICES, TASKS],
    ]) {
      const run = cli(["diagnose", ...args, "--json"]);
      expect(run.code).toBe(0);
      const diagnosis = JSON.parse(run.stdout) as { tasks: unknown[]; services: unknown[] };
      expect(diagnosis.tasks.length).toBeGreaterThan(0);
      expect(diagnosis.services.length).toBeGreaterThan(0);
    }
  });

  it("--disable takes repeated flags and comma lists alike", () => {
    const run = cli(["lint", "--disable", "FLP201", "--disable", "FLP202,FLP212", BEFORE, "-f", "json"]);
    const ids = (JSON.parse(run.stdout) as { files: { findings: { ruleId: string }[] }[] }).files.flatMap(
      (f) => f.findings.map((x) => x.ruleId),
    );
    expect(ids).not.toContain("FLP201");
    expect(ids).not.toContain("FLP202");
    expect(ids).not.toContain("FLP212");
  });
});

describe("-f json and -o on every command that prints results", () => {
  it.each(Object.keys(COMMANDS))(
    "%s -f json -o FILE writes JSON to the file and nothing to stdout",
    (name) => {
      const out = join(tmp(), `${name}.json`);
      const run = cli([...(COMMANDS[name] as string[]), "-f", "json", "-o", out]);
      expect([0, 1]).toContain(run.code);
      expect(run.stdout).toBe("");
      const parsed = JSON.parse(readFileSync(out, "utf8")) as unknown;
      expect(parsed).toBeTypeOf("object");
    },
  );

  it("each JSON is that command's result", () => {
    const check = JSON.parse(cli([...(COMMANDS.check as string[]), "-f", "json"]).stdout);
    expect(check.startup[0].stages).toEqual([["log-router", "dd-agent"], ["app"]]);
    const plan = JSON.parse(cli([...(COMMANDS.plan as string[]), "-f", "json"]).stdout);
    expect(plan[0].stages).toEqual([["log-router", "dd-agent"], ["log-router-preflight"], ["app"]]);
    const fix = JSON.parse(cli([...(COMMANDS.fix as string[]), "-f", "json"]).stdout);
    expect(fix.changed).toBe(true);
    expect(fix.document).toContain('"log-router-preflight"');
    const simulate = JSON.parse(cli([...(COMMANDS.simulate as string[]), "--json"]).stdout);
    expect(simulate.runs).toBe(20);
  });

  it("-o writes text formats without colors, and plan's other formats too", () => {
    const dir = tmp();
    expect(cli(["check", BEFORE, "-o", join(dir, "check.txt"), "--color"]).code).toBe(1);
    const text = readFileSync(join(dir, "check.txt"), "utf8");
    expect(text).toContain("FLP201");
    expect(text).not.toContain("\u001b[");
    expect(cli(["plan", "-f", "mermaid", AFTER, "-o", join(dir, "order.mmd")]).code).toBe(0);
    expect(readFileSync(join(dir, "order.mmd"), "utf8")).toContain("log-router-preflight");
  });

  it("fix -f diff is --dry-run", () => {
    const a = cli([...(COMMANDS.fix as string[]), "-f", "diff"]);
    const b = cli([...(COMMANDS.fix as string[]), "--dry-run"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain(`--- ${BEFORE}`);
  });
});

describe("help", () => {
  it("shows examples that need nothing but the installed package and the user's own files", () => {
    for (const command of ["", ...Object.keys(COMMANDS)]) {
      const help = cli(command === "" ? ["--help"] : [command, "--help"]).stdout;
      expect(help, `${command || "root"} help`).not.toMatch(/\sexamples\//);
      expect(help, `${command || "root"} help`).toMatch(
        /firelens-preflight (check|lint|plan|fix|simulate|diagnose) /,
      );
    }
  });
});
