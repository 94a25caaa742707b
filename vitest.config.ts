import { configDefaults, defineConfig } from "vitest/config";

/** The tests that drive podman: one at a time, so one test's containers never count as another's leftovers. */
const CONTAINERS = ["test/image/**/*.test.ts", "test/rehearse/rehearse.test.ts"];

/**
 * Test files that change or depend on process-wide state, and so run each in a forked process of its own:
 * real servers on loopback and timing-sensitive probes (probe/, router/), signals and child processes whose
 * exit status is the point (simulate/interrupt, the spawned CLI tests in cli/), the working directory
 * (`cli(…, cwd)` moves the process into a temporary project: cli/, config/config-cli), and the pipeline tools
 * (pipeline/). Everything else is pure library work, or runs the CLI in process through test/support/cli.ts,
 * and shares threads without isolation: the modules (aws-cdk-lib, the rules) load once per thread instead of
 * once per file.
 */
const IN_PROCESSES = [
  "test/probe/**/*.test.ts",
  "test/router/**/*.test.ts",
  "test/pipeline/**/*.test.ts",
  "test/cli/**/*.test.ts",
  "test/config/config-cli.test.ts",
  "test/simulate/interrupt.test.ts",
];

// The packed-tarball consumer test installs packages for minutes: `npm run test:consumer` (vitest.consumer.config.ts).
const exclude = [...configDefaults.exclude, "test/consumer/**"];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Two files at a time even on two cores (Vitest would run one: cores - 1): much of the suite waits on other
    // processes (podman, chromium, the test router's timers), and one file waiting must not hold up the rest.
    maxWorkers: 2,
    // Bundles dist/probe.mjs once, for the probe's end-to-end tests against the test router.
    globalSetup: ["test/support/build-probe.ts"],
    // aws-cdk-lib's built-in CloudFormation validation dominates the CDK unit tests' time (3.5 min against 43 s
    // on this machine); the example app's test turns it back on, so one synthesis is still validated.
    env: { CDK_VALIDATION: "false" },
    // Tests skipped for a missing tool are named once at the end, with the command that installs it.
    reporters: ["default", "./test/support/skips-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "threads",
          include: ["test/**/*.test.ts"],
          exclude: [...exclude, ...IN_PROCESSES, ...CONTAINERS],
          pool: "threads",
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "processes",
          include: IN_PROCESSES,
          exclude,
          pool: "forks",
        },
      },
      {
        extends: true,
        test: { name: "containers", include: CONTAINERS, exclude, pool: "forks", maxWorkers: 1 },
      },
    ],
  },
});
