/**
 * `fix --write` changes the file's content and nothing else: mode, owner, symbolic and hard links survive, a
 * read-only file is refused unless forced, and a write interrupted by SIGKILL or SIGINT leaves neither a
 * torn file nor a temporary one. Everything runs the built CLI as a child process on real files.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  watch,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const SEED = "examples/seed/before.json";
const GATED = readFileSync("examples/seed/after.json", "utf8");
const IMAGE = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/firelens-preflight:0.1.0";
const BIN = resolve("dist/cli/main.js");

function dir(): string {
  return mkdtempSync(join(tmpdir(), "flp-write-"));
}

function seedIn(d: string, name = "task.json"): string {
  const file = join(d, name);
  copyFileSync(SEED, file);
  return file;
}

function fixWrite(file: string, ...extra: string[]): ReturnType<typeof cli> {
  return cli(["fix", file, "--probe-image", IMAGE, "--write", ...extra]);
}

/** Temporary files `fix --write` may have left beside `file`. */
function leftovers(d: string): string[] {
  return readdirSync(d).filter((n) => n.endsWith(".tmp"));
}

describe("fix --write keeps the file as it was in every way but the gate", () => {
  it("keeps mode 600", () => {
    const file = seedIn(dir());
    chmodSync(file, 0o600);
    const run = fixWrite(file);
    expect(run.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(GATED);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("keeps owner and group, also when root writes another user's file", () => {
    const file = seedIn(dir());
    // As root (CI containers), give the file away first: a rename-based write would leave it root-owned.
    if (process.getuid?.() === 0) chownSync(file, 4321, 4322);
    const before = statSync(file);
    expect(fixWrite(file).code).toBe(0);
    const after = statSync(file);
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid]);
    expect(readFileSync(file, "utf8")).toBe(GATED);
  });

  it("writes through a symbolic link to the file it names, and keeps the link", () => {
    const d = dir();
    const real = seedIn(d, "real.json");
    const link = join(d, "link.json");
    symlinkSync("real.json", link);
    const run = fixWrite(link);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`(to ${real})`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("real.json");
    expect(readFileSync(real, "utf8")).toBe(GATED);
  });

  it("keeps hard links: every name sees the gated content, on the same inode", () => {
    const d = dir();
    const file = seedIn(d);
    const other = join(d, "other-name.json");
    linkSync(file, other);
    const inode = statSync(file).ino;
    expect(fixWrite(file).code).toBe(0);
    expect(statSync(file).ino).toBe(inode);
    expect(statSync(other).ino).toBe(inode);
    expect(statSync(file).nlink).toBe(2);
    expect(readFileSync(other, "utf8")).toBe(GATED);
    expect(leftovers(d)).toEqual([]);
  });

  it("refuses a read-only file unless --force, and keeps its mode when forced", () => {
    const d = dir();
    const file = seedIn(d);
    chmodSync(file, 0o444);
    const refused = fixWrite(file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `error: cannot write ${file}: the file is read-only (mode 0444); pass --force to write it anyway`,
    );
    expect(readFileSync(file, "utf8")).toBe(readFileSync(SEED, "utf8"));
    expect(fixWrite(file, "--force").code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(GATED);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(leftovers(d)).toEqual([]);
  });
});

/** A seed task definition with a large environment value, so that writing it takes a moment. */
function bigTask(d: string): { file: string; original: string } {
  const doc = JSON.parse(readFileSync(SEED, "utf8")) as {
    containerDefinitions: { name: string; environment?: unknown[] }[];
  };
  const app = doc.containerDefinitions.find((c) => c.name === "app");
  app?.environment?.push({ name: "PADDING", value: "x".repeat(24 * 1024 * 1024) });
  const original = JSON.stringify(doc, null, 2);
  const file = join(d, "big.json");
  writeFileSync(file, original);
  return { file, original };
}

interface Interrupted {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** Whether the signal was sent while the temporary file existed. */
  readonly duringWrite: boolean;
}

/** Runs `fix --write` on `file` and sends `signal` the moment its temporary file appears. */
function interruptWrite(d: string, file: string, signal: NodeJS.Signals): Promise<Interrupted> {
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [BIN, "fix", file, "--probe-image", IMAGE, "--write", "--max-size", "64M"],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let duringWrite = false;
    const watcher = watch(d, (_event, name) => {
      if (duringWrite || name === null || !String(name).endsWith(".tmp")) return;
      if (!leftovers(d).includes(String(name))) return;
      duringWrite = true;
      child.kill(signal);
    });
    child.on("error", fail);
    child.on("exit", (code, sig) => {
      watcher.close();
      done({ code, signal: sig, stderr, duringWrite });
    });
  });
}

/** Polls until no temporary file is left (the cleanup after SIGKILL runs in another process), or 5 s. */
async function settle(d: string): Promise<string[]> {
  for (let i = 0; i < 50 && leftovers(d).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  return leftovers(d);
}

describe("an interrupted fix --write", { timeout: 180_000 }, () => {
  // Each attempt kills the writer the moment its temporary file appears; on a loaded machine the watcher may
  // hear of the file only after the rename, or the signal land after it, which proves nothing about
  // interruption, so it tries again (at most 6 times). Every attempt must still leave no torn file.
  it.each(["SIGKILL", "SIGINT"] as const)(
    "killed with %s while writing leaves no torn target and no temp file",
    async (signal) => {
      let hit: { result: Interrupted; content: string; original: string; d: string } | undefined;
      for (let attempt = 0; attempt < 6 && hit === undefined; attempt++) {
        const d = dir();
        const { file, original } = bigTask(d);
        const result = await interruptWrite(d, file, signal);
        const content = readFileSync(file, "utf8");
        // Never torn: the old document or the whole gated one.
        expect(content === original || content.includes('"name": "log-router-preflight"')).toBe(true);
        expect(content === original || JSON.parse(content) !== undefined).toBe(true);
        expect(await settle(d)).toEqual([]);
        if (result.duringWrite && content === original) hit = { result, content, original, d };
      }
      expect(hit, "one attempt was interrupted before the rename").toBeDefined();
      const { result } = hit as NonNullable<typeof hit>;
      if (signal === "SIGKILL") {
        expect(result.signal).toBe("SIGKILL");
      } else {
        expect(result.code).toBe(130);
        expect(result.stderr).toContain("error: interrupted by SIGINT; nothing was written");
      }
    },
  );
});
