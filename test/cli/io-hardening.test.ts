/**
 * Inputs and outputs the CLI cannot use end in exit 2 with the path and the reason, in bounded time, never
 * in a stack trace, a hang or a silently overwritten task definition; names from documents reach the
 * terminal with their control characters escaped. One test per class, with the minimal example.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const SEED = "examples/seed/before.json";
const seedText = readFileSync(SEED, "utf8");

function dir(): string {
  return mkdtempSync(join(tmpdir(), "flp-io-"));
}

function noStack(stderr: string): void {
  expect(stderr).not.toContain("    at ");
  expect(stderr).not.toContain("internal error");
}

describe("outputs", () => {
  it("-o into a directory that does not exist", () => {
    const run = cli(["lint", SEED, "-o", "/nonexistent/x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: cannot write /nonexistent/x: directory /nonexistent does not exist");
    noStack(run.stderr);
  });

  it("-o naming a directory", () => {
    const d = dir();
    const run = cli(["check", SEED, "-o", d]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: cannot write ${d}: is a directory`);
  });

  it("--report naming a directory", () => {
    const d = dir();
    const run = cli(["simulate", SEED, "-n", "5", "--report", d]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: cannot write ${d}: is a directory`);
    noStack(run.stderr);
  });

  it("a full disk (/dev/full)", () => {
    const run = cli(["plan", SEED, "-o", "/dev/full"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: cannot write /dev/full: no space left on device");
  });

  it("stdout on a full disk", () => {
    const run = spawnSync("sh", ["-c", `node dist/cli/main.js lint ${SEED} > /dev/full`], {
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("error: cannot write <stdout>: no space left on device");
  });

  it("an output path that is one of the inputs is refused, and the input is left alone", () => {
    const d = dir();
    const file = join(d, "task.json");
    copyFileSync(SEED, file);
    const lint = cli(["lint", file, "-o", file]);
    expect(lint.code).toBe(2);
    expect(lint.stderr).toContain(`error: cannot write ${file}: it is one of the inputs`);
    const simulate = cli(["simulate", file, "-n", "5", "--report", file]);
    expect(simulate.code).toBe(2);
    expect(simulate.stderr).toContain(`error: cannot write ${file}: it is one of the inputs (--report`);
    // Another spelling of the same file, inside a scanned directory.
    const check = cli(["check", d, "-o", join(d, ".", "task.json")]);
    expect(check.code).toBe(2);
    const fix = cli(["fix", file, "--probe-image", "x/probe:1", "-o", file]);
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain("--write rewrites the input in place");
    expect(readFileSync(file, "utf8")).toBe(seedText);
  });
});

/** A small file system of our own, to fill up or make read-only; needs root (CAP_SYS_ADMIN), as in CI here. */
const mounts: string[] = [];
function tmpfs(options: string): string | undefined {
  const at = dir();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", at], { stdio: "ignore" });
    mounts.push(at);
    return at;
  } catch {
    return undefined;
  }
}
afterAll(() => {
  for (const m of mounts) spawnSync("umount", [m]);
});
const canMount = (() => {
  const probe = tmpfs("size=16k");
  return probe !== undefined;
})();

describe.skipIf(!canMount)("outputs on a full or read-only file system (tmpfs)", () => {
  it("fix --write on a full disk: exit 2, the file intact, no temporary file", () => {
    const at = tmpfs("size=64k") as string;
    const file = join(at, "task.json");
    copyFileSync(SEED, file);
    // Fill what is left, so the gated document (larger than the seed) cannot be written.
    try {
      writeFileSync(join(at, "filler"), Buffer.alloc(64 * 1024));
    } catch {
      // ENOSPC: the disk is full, which is the point.
    }
    const run = cli(["fix", file, "--probe-image", "x/probe:1", "--write"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: cannot write ${file}:`);
    expect(run.stderr).toContain("no space left on device");
    noStack(run.stderr);
    expect(readFileSync(file, "utf8")).toBe(seedText);
    expect(readdirSync(at).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("-o and fix --write on a read-only file system", () => {
    const source = tmpfs("size=64k") as string;
    copyFileSync(SEED, join(source, "task.json"));
    execFileSync("mount", ["-o", "remount,ro", source]);
    const file = join(source, "task.json");
    const lint = cli(["lint", SEED, "-o", join(source, "report.txt")]);
    expect(lint.code).toBe(2);
    expect(lint.stderr).toContain(`error: cannot write ${join(source, "report.txt")}: read-only file system`);
    const fix = cli(["fix", file, "--probe-image", "x/probe:1", "--write"]);
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain(`error: cannot write ${file}: read-only file system`);
  });
});

describe("inputs", () => {
  it("a FIFO inside a scanned directory is skipped with a note, not waited on", () => {
    const d = dir();
    copyFileSync(SEED, join(d, "task.json"));
    execFileSync("mkfifo", [join(d, "pipe.json")]);
    const started = Date.now();
    const run = cli(["check", d, "--verbose"]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`note: ${join(d, "pipe.json")}: skipped (a FIFO, not a regular file)`);
    expect(run.stdout).toContain("FLP201");
  });

  it("/dev/zero is refused, not read until memory runs out", () => {
    const run = cli(["check", "/dev/zero"]);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain("/dev/zero");
    expect(run.stdout + run.stderr).toContain("cannot read: a character device, not a file");
    const plan = cli(["plan", "/dev/zero"]);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain("error: /dev/zero: cannot read: a character device, not a file");
  });

  it("an input over the size cap is refused with the cap and how to raise it; --max-size raises it", () => {
    const d = dir();
    const doc = JSON.parse(seedText) as { containerDefinitions: { environment?: unknown[] }[] };
    const first = doc.containerDefinitions[0] as { environment?: unknown[] };
    first.environment = [...(first.environment ?? []), { name: "PAD", value: "x".repeat(17 * 1024 * 1024) }];
    const file = join(d, "big.json");
    writeFileSync(file, JSON.stringify(doc));
    expect(statSync(file).size).toBeGreaterThan(16 * 1024 * 1024);
    const refused = cli(["plan", file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /error: .*big\.json: 17(\.\d)? MiB, over the 16 MiB input limit; raise it with --max-size if this file is meant to be read/,
    );
    const raised = cli(["plan", file, "--max-size", "32M"]);
    expect(raised.code).toBe(0);
    expect(raised.stdout).toContain("log-router");
  });

  it("stdin is capped too", () => {
    const run = cli(["check", "-", "--max-size", "1k"], seedText);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("<stdin>  error  more than the 1 KiB input limit; raise it with --max-size");
    const bad = cli(["check", "-", "--max-size", "lots"], seedText);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-size must be a size such as 16M, 512k or 1G");
  });
});

describe("names and messages from documents", () => {
  const hostile = "\u001b[2J\u001b]0;owned\u0007app";
  const doc = JSON.stringify(
    {
      containerDefinitions: [
        {
          name: "log-router",
          image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.19.0",
          essential: true,
          firelensConfiguration: { type: "fluentbit" },
        },
        {
          name: hostile,
          image: "nginx:1.27",
          essential: true,
          logConfiguration: { logDriver: "awsfirelens" },
        },
      ],
    },
    null,
    2,
  );

  it.each([
    ["check", "--no-color"],
    ["lint", "--no-color"],
    ["plan", "-f", "text"],
    ["plan", "-f", "mermaid"],
  ])("%s %s prints control characters escaped", (...args) => {
    const d = dir();
    mkdirSync(join(d, "in"));
    const file = join(d, "in", "task.json");
    writeFileSync(file, doc);
    const run = cli([...args, file]);
    expect([0, 1]).toContain(run.code);
    expect(run.stdout + run.stderr).not.toContain("\u001b");
    expect(run.stdout + run.stderr).not.toContain("\u0007");
    expect(run.stdout).toContain("\\x1b[2J\\x1b]0;owned\\x07app");
    rmSync(d, { recursive: true });
  });

  it("JSON output keeps the name exact (JSON escapes it itself)", () => {
    const run = cli(["lint", "-", "-f", "json"], doc);
    const report = JSON.parse(run.stdout) as { files: { findings: { container?: string }[] }[] };
    expect(report.files[0]?.findings.map((f) => f.container)).toContain(hostile);
  });
});
