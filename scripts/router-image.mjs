// Builds the test router images `rehearse` runs in CI and in test/rehearse/: `node scripts/router-image.mjs`.
//
// Real Fluent Bit is in no registry these machines reach, so these images run the project's test router
// (test/support/router/, the replayed recordings of real Fluent Bit 1.8.3, 1.9.10 and 4.2.8) behind the
// aws-for-fluent-bit layout: the entry (test/support/router-image/entry.ts) reads /fluent-bit/etc/fluent-bit.conf
// at start. One image per version, tagged localhost/firelens-preflight-test-router:<version>. The versions that
// stand for aws-for-fluent-bit 2.29.1 and later also ship /fluent-bit/configs/output-metrics-healthcheck.conf
// (2.19.0, the 1.8.3 router, does not: including it there fails, as on the real image).
//
// Built with podman on the Debian Node base scripts/probe-image.mjs makes (made here when missing), with the same
// runc runtime and containers.conf. Options: --version <v> (repeatable; default all three). Exit 0 built, 1 a step
// failed, 2 a tool is missing.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { DEBIAN_BASE, missingTools, podman } from "./probe-image.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ROUTER_VERSIONS = ["1.8.3", "1.9.10", "4.2.8"];
export const routerImage = (version) => `localhost/firelens-preflight-test-router:${version}`;

// aws/aws-for-fluent-bit configs/output-metrics-healthcheck.conf (with the later `Grace 30` and `Flush 1`).
const MONITORING_CONF = `[SERVICE]
    Flush 1
    Grace 30
    HTTP_Server  On
    HTTP_Listen  0.0.0.0
    HTTP_PORT    2020
    Health_Check On
    HC_Errors_Count 5
    HC_Retry_Failure_Count 5
    HC_Period 5
`;

function step(what, run) {
  process.stderr.write(`router-image: ${what}\n`);
  const r = run();
  if (r.error !== undefined || r.status !== 0) {
    const detail = r.error?.message ?? `${r.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
    process.stderr.write(`router-image: ${what} failed (exit ${r.status})\n${detail}\n`);
    process.exit(1);
  }
  return r;
}

export async function main(argv) {
  const { values } = parseArgs({ args: argv, options: { version: { type: "string", multiple: true } } });
  const versions = values.version ?? ROUTER_VERSIONS;
  const missing = missingTools({ needBase: false });
  if (missing.length > 0) {
    process.stderr.write(
      `router-image: cannot build: ${missing.join(", ")} not installed (apt-get install podman runc)\n`,
    );
    process.exit(2);
  }
  if (podman(["image", "exists", DEBIAN_BASE]).status !== 0) {
    step(`making the Node base ${DEBIAN_BASE} (scripts/probe-image.mjs)`, () =>
      spawnSync(process.execPath, [join(root, "scripts/probe-image.mjs")], { cwd: root, encoding: "utf8" }),
    );
  }
  const context = mkdtempSync(join(tmpdir(), "router-image-"));
  try {
    mkdirSync(join(context, "router"));
    await build({
      entryPoints: [join(root, "test/support/router-image/entry.ts")],
      outfile: join(context, "router/entry.mjs"),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      logLevel: "warning",
    });
    // The personality reads the recorded build-info document from ../../fixtures/fluent-bit next to its module.
    for (const v of ROUTER_VERSIONS) {
      mkdirSync(join(context, "fixtures/fluent-bit", v), { recursive: true });
      copyFileSync(
        join(root, "test/fixtures/fluent-bit", v, "sink-accepts.json"),
        join(context, "fixtures/fluent-bit", v, "sink-accepts.json"),
      );
    }
    writeFileSync(join(context, "output-metrics-healthcheck.conf"), MONITORING_CONF);
    for (const version of versions) {
      const monitoring =
        version === "1.8.3" ? "" : "COPY output-metrics-healthcheck.conf /fluent-bit/configs/\n";
      writeFileSync(
        join(context, "Containerfile"),
        `FROM ${DEBIAN_BASE}\nCOPY router /router\nCOPY fixtures /fixtures\n${monitoring}` +
          "RUN mkdir -p /fluent-bit/etc\n" +
          `ENV FLB_TEST_ROUTER_VERSION=${version}\nSTOPSIGNAL SIGTERM\n` +
          'ENTRYPOINT ["/nodejs/bin/node", "/router/entry.mjs"]\n',
      );
      const started = Date.now();
      step(`building ${routerImage(version)}`, () =>
        podman([
          "build",
          "--pull=never",
          "-t",
          routerImage(version),
          "-f",
          join(context, "Containerfile"),
          context,
        ]),
      );
      process.stdout.write(
        `${routerImage(version)} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.slice(2));
}
