import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The packed-tarball consumer test installs packages for minutes: `npm run test:consumer` (vitest.consumer.config.ts).
    exclude: [...configDefaults.exclude, "test/consumer/**"],
    testTimeout: 20_000,
    // Probe and router tests start real servers on loopback; keep the two cores for them.
    pool: "forks",
    // aws-cdk-lib validates every synthesized template against the CloudFormation schema; that check took
    // ~90% of a CDK test's time here (19.5 s vs 2.2 s for one synth) and is not what our tests are about.
    env: { CDK_VALIDATION: "false" },
    // Bundles dist/probe.mjs once, for the probe's end-to-end tests against the test router.
    globalSetup: ["test/support/build-probe.ts"],
  },
});
