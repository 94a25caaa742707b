#!/usr/bin/env node
// The run step of the GitHub Action (action.yml), kept in a script so test/pipeline/action.test.ts runs it on the
// repository's examples. Node only, no dependencies: the runner's own Node (>= 20) runs it.
//
// Inputs arrive as environment variables (a composite action maps them in action.yml):
//   FLP_ACTION_PATHS       files, directories or globs, separated by newlines or spaces (default ".")
//   FLP_ACTION_CONFIG      config file for `check --config` (default: none given)
//   FLP_ACTION_FAIL_ON     error, warning, note or none (default "error")
//   FLP_ACTION_SARIF_FILE  where the SARIF report goes (default "firelens-preflight.sarif")
//   FLP_ACTION_VERSION     npm version of the CLI to install (default: this checkout's package.json version)
//   FLP_ACTION_CATEGORY    code scanning category (default firelens-preflight/<$GITHUB_JOB>/<paths>)
//   FLP_ACTION_PACKAGE     npm install spec instead of firelens-preflight@<version> (a tarball, a registry mirror)
//   FLP_ACTION_CLI         a built CLI to run with node instead of installing one (dist/cli/main.js; the tests)
//   FLP_ACTION_REHEARSE    "true": after the check, `rehearse` each task definition file checked (default "false")
//   FLP_ACTION_REHEARSE_TASK_DEFINITION  the one file to rehearse instead (default: each file among the paths)
//   FLP_ACTION_PROBE_IMAGE the probe image `rehearse --probe-image` runs (required when rehearsing)
//
// It runs `check --format sarif -o <sarif-file>` and then `check` as text for the log, and exits with the CLI's
// exit code (0 clean, 1 findings at or above fail-on, 2 bad input or usage, 3 internal error); the larger one if
// the two runs disagree; with rehearse, then `rehearse --engine docker --probe-image <image> -- <file>` per file,
// and the largest exit code of all. It writes `sarif-file`, `sarif-written` and `category` to $GITHUB_OUTPUT when that is set.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ACTION_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FAIL_ON = ["error", "warning", "note", "none"];

function input(name, fallback) {
  const value = process.env[`FLP_ACTION_${name}`];
  return value === undefined || value.trim() === "" ? fallback : value.trim();
}

/** A GitHub workflow command (an annotation in the run's summary) and a readable line elsewhere. */
function say(level, message) {
  const oneLine = message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  console.log(
    process.env.GITHUB_ACTIONS === "true" ? `::${level} title=firelens-preflight::${oneLine}` : message,
  );
}

function setOutput(name, value) {
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

/** The CLI to run, as [program, ...leading args]: the given build, or the npm package installed once per runner. */
function cli() {
  const given = process.env.FLP_ACTION_CLI;
  if (given !== undefined && given.trim() !== "") return [process.execPath, resolve(given.trim())];
  const ownVersion = JSON.parse(readFileSync(join(ACTION_ROOT, "package.json"), "utf8")).version;
  const version = input("VERSION", ownVersion);
  const spec = input("PACKAGE", `firelens-preflight@${version}`);
  const prefix = join(
    process.env.RUNNER_TEMP || tmpdir(),
    `firelens-preflight-${version.replace(/[^\w.-]/g, "_")}`,
  );
  const installed = join(prefix, "node_modules", "firelens-preflight");
  if (!existsSync(join(installed, "package.json")) || process.env.FLP_ACTION_PACKAGE) {
    console.log(`installing ${spec} (npm) into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    // --ignore-scripts: the CLI needs no install script (Terraform is parsed by WebAssembly), so none runs.
    const args = ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund"];
    // The HCL parser's two packages are optional peers of the CLI; a CI run may meet .tf files, so they come too.
    const hcl = ["web-tree-sitter@^0.27.2", "@tree-sitter-grammars/tree-sitter-hcl@^1.2.0"];
    const npm = spawnSync("npm", [...args, "--ignore-scripts", spec, ...hcl], {
      stdio: ["ignore", "inherit", "inherit"],
      shell: process.platform === "win32",
    });
    if (npm.status !== 0) {
      say("error", `could not install ${spec} with npm (exit ${npm.status ?? npm.error?.message})`);
      process.exit(3);
    }
  }
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin["firelens-preflight"];
  console.log(`firelens-preflight ${pkg.version}`);
  return [process.execPath, join(installed, bin)];
}

/** Paths separated by newlines or spaces (a path with a space in it: name its directory or a glob instead). */
function paths() {
  return input("PATHS", ".")
    .split(/\s+/)
    .filter((p) => p !== "");
}

/**
 * The upload's code scanning category. An upload replaces the earlier results of its own category (and tool)
 * only, so two runs in one workflow with one fixed category overwrite each other: the default names the job
 * ($GITHUB_JOB, the job's id) and the paths checked, which tell apart the runs of one workflow in practice. Matrix
 * legs share a job id: give them a `category` of their own when they also check the same paths.
 */
function category() {
  const given = input("CATEGORY", "");
  if (given !== "") return given;
  const job = process.env.GITHUB_JOB?.trim() || "local";
  const where = paths()
    .map((p) => posix.normalize(p.replace(/\\/g, "/")).replace(/(.)\/+$/, "$1"))
    .join(",");
  let slug = where.replace(/[^A-Za-z0-9._,/*@+-]+/g, "_");
  // Long lists of paths: a readable head and a digest of the whole, so two lists never share a category.
  if (slug.length > 80)
    slug = `${slug.slice(0, 60)}~${createHash("sha256").update(where).digest("hex").slice(0, 12)}`;
  return `firelens-preflight/${job}/${slug}`;
}

/**
 * The `rehearse` command lines (CLI arguments, without the program) the action runs after the check, or the
 * reason it cannot: `{ commands }` or `{ error }`. `inputs` are the action's inputs by name (`rehearse`,
 * `rehearse-task-definition`, `probe-image`, `paths`); an empty string is an input not given. The files are
 * `rehearse-task-definition` when given, else each of the paths; a directory or a glob among them cannot be
 * rehearsed (rehearse runs one task definition file) and is an error that says to name the file.
 */
export function rehearseCommands(inputs, isFile = (p) => existsSync(p) && statSync(p).isFile()) {
  const rehearse = (inputs.rehearse ?? "").trim() || "false";
  if (rehearse === "false") return { commands: [] };
  if (rehearse !== "true") return { error: `rehearse must be true or false, not '${rehearse}'` };
  const probeImage = (inputs["probe-image"] ?? "").trim();
  if (probeImage === "")
    return {
      error:
        "rehearse: true needs the probe-image input (the firelens-preflight probe image `rehearse --probe-image` runs; see docs/probe-image.md)",
    };
  const given = (inputs["rehearse-task-definition"] ?? "").trim();
  const files = given !== "" ? [given] : (inputs.paths ?? ".").split(/\s+/).filter((p) => p !== "");
  const notFiles = files.filter((f) => !isFile(f));
  if (notFiles.length > 0)
    return {
      error: `rehearse runs one task definition file at a time, and ${notFiles.map((f) => `'${f}'`).join(", ")} ${notFiles.length === 1 ? "is not a file" : "are not files"}: name the file to rehearse in rehearse-task-definition`,
    };
  return {
    commands: files.map((file) => [
      "rehearse",
      "--engine",
      "docker",
      "--probe-image",
      probeImage,
      "--",
      file,
    ]),
  };
}

function main() {
  const uploadCategory = category();
  setOutput("category", uploadCategory);
  const failOn = input("FAIL_ON", "error");
  if (!FAIL_ON.includes(failOn)) {
    say("error", `fail-on must be one of ${FAIL_ON.join(", ")}, not '${failOn}'`);
    return 2;
  }
  // Rehearse's inputs are checked before anything runs, as fail-on is.
  const rehearsal = rehearseCommands({
    rehearse: input("REHEARSE", "false"),
    "rehearse-task-definition": input("REHEARSE_TASK_DEFINITION", ""),
    "probe-image": input("PROBE_IMAGE", ""),
    paths: input("PATHS", "."),
  });
  if (rehearsal.error !== undefined) {
    say("error", rehearsal.error);
    return 2;
  }
  const sarifFile = input("SARIF_FILE", "firelens-preflight.sarif");
  const config = input("CONFIG", "");
  const common = ["--fail-on", failOn, ...(config === "" ? [] : ["--config", config])];
  const [program, ...lead] = cli();
  const run = (args) =>
    spawnSync(program, [...lead, "check", ...args, ...common, "--", ...paths()], { stdio: "inherit" });

  // A report left by an earlier run must not be uploaded as this one's.
  rmSync(sarifFile, { force: true });
  mkdirSync(dirname(resolve(sarifFile)), { recursive: true });
  const sarif = run(["--format", "sarif", "--output", sarifFile, "--no-color"]);
  const written = existsSync(sarifFile);
  setOutput("sarif-file", sarifFile);
  setOutput("sarif-written", String(written));
  const text = run([]);
  const codes = [sarif.status ?? 3, text.status ?? 3];
  if (codes[0] !== codes[1]) say("warning", `the SARIF run exited ${codes[0]} and the text run ${codes[1]}`);
  const code = Math.max(...codes);
  if (written) console.log(`SARIF: ${sarifFile} (code scanning category ${uploadCategory})`);
  setOutput("check-exit-code", String(code));
  let rehearseCode = 0;
  for (const args of rehearsal.commands) {
    console.log(`firelens-preflight ${args.join(" ")}`);
    const rehearsed = spawnSync(program, [...lead, ...args], { stdio: "inherit" });
    const status = rehearsed.status ?? 3;
    if (status !== 0)
      say("error", `rehearse of ${args[args.length - 1]} exited ${status} (see the log above)`);
    rehearseCode = Math.max(rehearseCode, status);
  }
  if (rehearsal.commands.length > 0) setOutput("rehearse-exit-code", String(rehearseCode));
  return Math.max(code, rehearseCode);
}

// Run as the action's step; imported (the tests), it only gives its functions.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  process.exit(main());
