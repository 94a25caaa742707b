// Builds the probe image from the shipped Dockerfile with podman: `npm run image [-- options]`, in a clone of the
// repository or in the installed package (node_modules/firelens-preflight ships this script, the Dockerfile and
// the built dist/probe.mjs; a clone bundles the probe from its sources first).
//
// The Dockerfile's default base is distroless Node 22 (what production pulls). These machines reach no container
// registry, so by default this script first makes a Node base from Debian's own packages (mmdebstrap, Debian 13
// ships Node 20) with node at the path the distroless image uses, /nodejs/bin/node, imports it into podman, and
// builds the same Dockerfile on it with `--build-arg BASE=…`. `--base <image>` builds on another base instead
// (`--base gcr.io/distroless/nodejs22-debian12:nonroot` where that registry is reachable).
//
// Options: --tag <ref>   image to build (default localhost/firelens-preflight-probe:<package version>)
//          --base <ref>  base image to build on (default: the Debian-built base, made when missing)
//          --fresh-base  make the Debian-built base again even when podman already has it
//          --help        print these options and exit 0
//
// podman runs with the runc runtime and a containers.conf without default ulimits (CONTAINERS_CONF): crun, podman's
// default, cannot set resource limits in some sandboxes, these machines among them. Exit 0 built, 1 a step failed,
// 2 a tool is missing (the message names it and how to install it).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
export const DEBIAN_BASE = "localhost/firelens-preflight-probe-base:trixie";
export const DEFAULT_TAG = `localhost/firelens-preflight-probe:${pkg.version}`;

/** The podman command line and environment every caller (this script, the image test, the bench) uses. */
export function podman(args, options = {}) {
  return spawnSync("podman", ["--runtime", "runc", ...args], {
    encoding: "utf8",
    env: { ...process.env, CONTAINERS_CONF: containersConf() },
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
}

let confPath;
/** A containers.conf without default ulimits, unless the caller set CONTAINERS_CONF. */
function containersConf() {
  if (process.env.CONTAINERS_CONF) return process.env.CONTAINERS_CONF;
  if (confPath === undefined) {
    confPath = join(mkdtempSync(join(tmpdir(), "probe-image-conf-")), "containers.conf");
    writeFileSync(confPath, "[containers]\ndefault_ulimits = []\n");
  }
  return confPath;
}

function has(command, versionFlag = "--version") {
  const r = spawnSync(command, [versionFlag], { encoding: "utf8" });
  return r.error === undefined && r.status === 0;
}

/** Names of the tools this build needs and lacks. */
export function missingTools({ needBase }) {
  const missing = [];
  if (!has("podman")) missing.push("podman");
  if (!has("runc")) missing.push("runc");
  if (needBase && !has("mmdebstrap")) missing.push("mmdebstrap");
  return missing;
}

function step(what, run) {
  process.stderr.write(`probe-image: ${what}\n`);
  const started = Date.now();
  const r = run();
  if (r.error !== undefined || r.status !== 0) {
    const detail = r.error?.message ?? `${r.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
    process.stderr.write(`probe-image: ${what} failed (exit ${r.status})\n${detail}\n`);
    process.exit(1);
  }
  process.stderr.write(`probe-image:   done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return r;
}

function makeDebianBase() {
  const dir = mkdtempSync(join(tmpdir(), "probe-base-"));
  const tar = join(dir, "base.tar");
  try {
    step(
      "making a Node 20 base from Debian 13 packages (mmdebstrap --variant=essential --include=nodejs)",
      () =>
        spawnSync(
          "mmdebstrap",
          [
            "--variant=essential",
            "--include=nodejs",
            // node where distroless has it, so the Dockerfile's ENTRYPOINT is the same on both bases.
            '--customize-hook=mkdir -p "$1/nodejs/bin" && ln -s /usr/bin/node "$1/nodejs/bin/node"',
            "trixie",
            tar,
          ],
          { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
        ),
    );
    step(`importing it as ${DEBIAN_BASE}`, () => podman(["import", tar, DEBIAN_BASE]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** This checkout's commit; `unknown` in the installed package (git there would name the user's project). */
function gitRevision() {
  if (!existsSync(join(root, ".git"))) return "unknown";
  const r = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "unknown";
}

const USAGE = `Usage: npm run image [-- --tag <ref>] [--base <ref>] [--fresh-base]
  --tag <ref>    image to build (default ${DEFAULT_TAG})
  --base <ref>   base image with node at /nodejs/bin/node (default ${DEBIAN_BASE}, made with mmdebstrap)
  --fresh-base   make the Debian-built base again even when podman already has it
Needs podman and runc (and mmdebstrap for the default base). With Docker: README.md, "Deploying the probe" (docs/probe-image.md in the repository).
`;

/**
 * The probe bundle the Dockerfile copies. A clone bundles it from its sources (scripts/bundle-probe.mjs needs
 * esbuild, a development dependency); the installed package ships it built and has neither.
 */
function bundleProbe() {
  const bundler = join(root, "scripts/bundle-probe.mjs");
  if (existsSync(bundler) && existsSync(join(root, "src/probe"))) {
    step("bundling dist/probe.mjs", () =>
      spawnSync(process.execPath, [bundler], { cwd: root, encoding: "utf8" }),
    );
  } else if (!existsSync(join(root, "dist/probe.mjs"))) {
    process.stderr.write(
      `probe-image: ${join(root, "dist/probe.mjs")} is missing and there are no sources to bundle\n`,
    );
    process.exit(2);
  }
}

export function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      tag: { type: "string", default: DEFAULT_TAG },
      base: { type: "string" },
      "fresh-base": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const base = values.base ?? DEBIAN_BASE;
  const debianBase = base === DEBIAN_BASE;
  const missing = missingTools({ needBase: debianBase });
  if (missing.includes("podman") || missing.includes("runc")) {
    process.stderr.write(
      `probe-image: cannot build: ${missing.join(", ")} not installed.\n` +
        "  Debian/Ubuntu: apt-get install podman runc mmdebstrap (mmdebstrap makes the Node base)\n" +
        '  Or build with Docker instead: README.md, "Deploying the probe".\n',
    );
    process.exit(2);
  }
  if (debianBase) {
    const present = podman(["image", "exists", DEBIAN_BASE]).status === 0;
    if (values["fresh-base"] || !present) {
      if (missing.includes("mmdebstrap")) {
        process.stderr.write(
          `probe-image: cannot make the Debian Node base: mmdebstrap not installed (apt-get install mmdebstrap),\n  or pass --base <image with node at /nodejs/bin/node>.\n`,
        );
        process.exit(2);
      }
      if (present) podman(["rmi", "--force", DEBIAN_BASE]);
      makeDebianBase();
    }
  }
  bundleProbe();
  step(`building ${values.tag} on ${base}`, () =>
    podman(
      [
        "build",
        // The Debian-built base exists only locally; any other base may be pulled.
        `--pull=${debianBase ? "never" : "missing"}`,
        "--build-arg",
        `BASE=${base}`,
        "--build-arg",
        `VERSION=${pkg.version}`,
        "--build-arg",
        `REVISION=${gitRevision()}`,
        "-t",
        values.tag,
        "-f",
        join(root, "Dockerfile"),
        root,
      ],
      { cwd: root },
    ),
  );
  const size = podman(["image", "inspect", "--format", "{{.Size}}", values.tag]).stdout.trim();
  process.stdout.write(`${values.tag} (${(Number(size) / 2 ** 20).toFixed(1)} MiB on ${base})\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2));
}
