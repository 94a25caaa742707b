/**
 * Issue 13, the simulator's part: hostile scenario files end in a located error (exit 2 through the CLI),
 * in bounded time, never in the yaml library's own exceptions or a hang; names from documents reach the
 * terminal with their control characters escaped.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  loadScenario,
  readScenarioFile,
  renderReport,
  renderSummary,
  SCENARIO_LIMITS,
  simulate,
} from "../../src/simulate/index.js";
import { cli } from "../support/cli.js";
import { app, router } from "./fixtures.js";
import { scenarioErrorOf } from "./helpers.js";

const errorOf = scenarioErrorOf;

/** A control character other than newline, or the right-to-left override. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

/** Nine levels of nine aliases: 431 bytes that expand to 9^9 (387 million) scalars. */
function billionLaughs(): string {
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  const names = "abcdefghi";
  for (let i = 1; i < 9; i++) {
    const prev = names[i - 1];
    text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
  }
  return text;
}

const dir = mkdtempSync(join(tmpdir(), "flp-hostile-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("YAML aliases in scenario files count against a budget", () => {
  it("billion laughs: a located error, fast", () => {
    const text = `${billionLaughs()}description: *i\n`;
    expect(text.length).toBeLessThan(500);
    const t0 = performance.now();
    const e = errorOf(text);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e.issues).toHaveLength(1);
    expect(e.message).toMatch(
      /^s\.yaml:\d+:\d+: \(document\): alias \*[a-i] expands to more than 10,000 YAML nodes \(the limit for a scenario file\)$/,
    );
  });

  it("through the CLI: exit 2 with file, line and column; not the yaml library's ReferenceError (exit 3), not a hang", () => {
    const path = file("laughs.yaml", `name: laughs\n${billionLaughs()}description: *i\n`);
    const t0 = performance.now();
    const run = cli(["simulate", "examples/seed/before.json", "-s", path, "-n", "10"]);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${path}:`);
    expect(run.stderr).toMatch(
      /:\d+:\d+: \(document\): alias \*[a-i] expands to more than 10,000 YAML nodes/,
    );
    expect(run.stderr).not.toMatch(/ReferenceError|internal error|\n\s+at /);
  });

  it("more than the yaml library's 100 aliases is fine while the expansion is small", () => {
    const lines = ["containers:", "  default: &t { bootSeconds: 2 }"];
    for (let i = 0; i < 150; i++) lines.push(`  c${i}: *t`);
    const s = loadScenario(`${lines.join("\n")}\n`, "many.yaml");
    expect(s.containers.c149?.bootSeconds).toEqual({ kind: "constant", value: 2 });
  });

  it("an alias inside its own anchor: the budget catches the cycle", () => {
    const e = errorOf("service: &s { circuitBreaker: *s }\n");
    expect(e.message).toMatch(
      /^s\.yaml:1:\d+: \(document\): (alias \*s expands to more than|YAML nested more than)/,
    );
  });
});

describe("nesting and size", () => {
  it("10,000 nested flow sequences (which kill the yaml library with an out-of-memory abort) are refused first", () => {
    const e = errorOf(`name: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`);
    expect(e.message).toBe(
      `s.yaml:1:${7 + SCENARIO_LIMITS.maxDepth}: (document): YAML nested more than 64 levels deep`,
    );
  });

  it("brackets in quoted strings and comments do not count", () => {
    const s = loadScenario(
      `name: "${"[".repeat(100)}" # ${"{".repeat(100)}\ndescription: '${"]".repeat(100)}'\n`,
      "q.yaml",
    );
    expect(s.name).toBe("[".repeat(100));
  });

  it("deep block nesting is refused on the parsed tree, located", () => {
    const lines: string[] = [];
    for (let i = 0; i < 80; i++) lines.push(`${"  ".repeat(i)}k${i}:`);
    lines.push(`${"  ".repeat(80)}x`);
    const e = errorOf(`${lines.join("\n")}\n`);
    expect(e.message).toMatch(/^s\.yaml:\d+:\d+: \(document\): YAML nested more than 64 levels deep$/);
  });

  it("a file over the size limit, a FIFO and /dev/zero are refused without reading them whole", async () => {
    expect(errorOf(`# ${"x".repeat(SCENARIO_LIMITS.maxChars)}\n`).message).toMatch(
      /larger than 1,048,576 characters/,
    );
    const fifo = join(dir, "fifo.yaml");
    execFileSync("mkfifo", [fifo]);
    await expect(readScenarioFile(fifo)).rejects.toThrow(/fifo\.yaml: \(document\): not a regular file/);
    await expect(readScenarioFile("/dev/zero")).rejects.toThrow(/not a regular file/);
    const run = cli(["simulate", "examples/seed/before.json", "-s", fifo, "-n", "10"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not a regular file");
  });
});

describe("names from documents reach the terminal escaped", () => {
  const evil = "\u001b[2J\u001b]0;owned\u0007";
  const containers = [router, { ...app, name: `app${evil}\u202e` }];
  const scenario = loadScenario(
    `name: "seed\\e[31m"\nloadBalancer: { container: "app${evil}\u202e" }\n`,
    "e.yaml",
  );

  it("in the text summary and the report", () => {
    const r = simulate(containers, scenario, { runs: 5, seed: 1 });
    for (const out of [renderSummary(r), renderReport(r)]) {
      expect(out).not.toMatch(CONTROL);
      expect(out).toContain("app\\x1b[2J\\x1b]0;owned\\x07\\u202e");
    }
    expect(renderSummary(r)).toContain('scenario "seed\\x1b[31m"');
  });

  it("in scenario errors (an unknown field named with escapes)", () => {
    const e = errorOf('"\\e[2Jservice": 1\n');
    expect(e.message).toContain("\\x1b[2Jservice");
    expect(e.message).not.toContain("\u001b");
  });

  it("through the CLI", () => {
    const task = file("evil.json", JSON.stringify({ family: "evil", containerDefinitions: containers }));
    const sc = file("evil.yaml", `name: "seed\\e[31m"\nloadBalancer: { container: "app${evil}\u202e" }\n`);
    const run = cli(["simulate", task, "-s", sc, "-n", "5"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("app\\x1b[2J");
    expect(run.stdout).not.toMatch(CONTROL);
  });
});
