import { FLP210 } from "../../src/rules/FLP210-router-health-endpoint.js";
import { app, ecs, router, testRule } from "../support/rule-tester.js";

const check = (path: string) => ({
  healthCheck: {
    command: ["CMD-SHELL", `curl -f http://127.0.0.1:2020${path} || exit 1`],
    interval: 10,
    retries: 2,
  },
});
const img = (image: string, path = "/api/v1/health") => router({ image, ...check(path) });

testRule(FLP210, {
  valid: [
    { name: "fixed in 1.8.7 (aws 2.20.0)", code: ecs([img("amazon/aws-for-fluent-bit:2.20.0"), app()]) },
    {
      name: "uptime is safe everywhere",
      code: ecs([img("amazon/aws-for-fluent-bit:2.19.0", "/api/v1/uptime"), app()]),
    },
    { name: "no healthCheck", code: ecs([router({ image: "amazon/aws-for-fluent-bit:2.19.0" }), app()]) },
  ],
  invalid: [
    {
      name: "the seed's router with AWS's deep health check",
      code: ecs([img("amazon/aws-for-fluent-bit:2.19.0"), app()]),
      errors: [
        {
          messageId: "crashes",
          data: { container: "log-router", version: "aws-for-fluent-bit 2.19.0 (Fluent Bit 1.8.3)" },
          path: "$.containerDefinitions[0].healthCheck.command",
        },
      ],
    },
    {
      name: "upstream 1.8.6",
      code: ecs([img("fluent/fluent-bit:1.8.6"), app()]),
      errors: [{ messageId: "crashes", data: { container: "log-router", version: "Fluent Bit 1.8.6" } }],
    },
    {
      name: "stable: unknown",
      code: ecs([img("906394416424.dkr.ecr.us-east-1.amazonaws.com/aws-for-fluent-bit:stable"), app()]),
      errors: [
        {
          messageId: "unknownVersion",
          severity: "warning",
          data: { container: "log-router", reason: "the tag 'stable' moves between releases" },
        },
      ],
    },
  ],
});
