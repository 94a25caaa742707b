import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // Probe and router tests start real servers on loopback; keep the two cores for them.
    pool: "forks",
  },
});
