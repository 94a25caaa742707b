import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The packed-tarball consumer test installs packages for minutes: `npm run test:consumer` (vitest.consumer.config.ts).
    exclude: [...configDefaults.exclude, "test/consumer/**"],
    testTimeout: 20_000,
    // Probe and router tests start real servers on loopback; keep the two cores for them.
    pool: "forks",
    // Bundles dist/probe.mjs once, for the probe's end-to-end tests against the test router.
    globalSetup: ["test/support/build-probe.ts"],
    // aws-cdk-lib's built-in CloudFormation validation dominates the CDK unit tests' time (3.5 min against 43 s
    // on this machine); the example app's test turns it back on, so one synthesis is still validated.
    env: { CDK_VALIDATION: "false" },
  },
});
