import { defineConfig } from "vitest/config";

// `npm run test:consumer`: the packed tarball installed into fresh projects (test/consumer/). Kept out of
// `npm test`: it installs packages and takes minutes; CI runs it after `npm test` (.ci/run).
export default defineConfig({
  test: {
    include: ["test/consumer/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: "forks",
  },
});
