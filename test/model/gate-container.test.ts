import { describe, expect, it } from "vitest";
import {
  GateContainerError,
  type GateContainerOptions,
  gateContainer,
  gatedDependency,
} from "../../src/model/index.js";
import { intrinsic } from "../../src/taskdef/index.js";

const base: GateContainerOptions = {
  gated: ["app"],
  routerName: "log-router",
  routerHasHealthCheck: false,
  agentName: "dd-agent",
  image: "example/probe:1",
};

describe("gateContainer", () => {
  it("builds the seed's gate with the probe's defaults written out", () => {
    expect(gateContainer(base)).toEqual({
      name: "log-router-preflight",
      image: "example/probe:1",
      essential: false,
      cpu: 32,
      memoryReservation: 32,
      environment: [
        { name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "app" },
        { name: "FIRELENS_PREFLIGHT_MONITOR", value: "http://127.0.0.1:2020" },
        { name: "FIRELENS_PREFLIGHT_REQUIRE", value: "auto" },
        { name: "FIRELENS_PREFLIGHT_DEADLINE", value: "60s" },
        { name: "FIRELENS_PREFLIGHT_RECORDS", value: "3" },
      ],
      dependsOn: [
        { containerName: "log-router", condition: "START" },
        { containerName: "dd-agent", condition: "START" },
      ],
    });
  });

  it("waits for HEALTHY when the router has a healthCheck, and omits the agent when there is none", () => {
    const def = gateContainer({ ...base, routerHasHealthCheck: true, agentName: undefined });
    expect(def.dependsOn).toEqual([{ containerName: "log-router", condition: "HEALTHY" }]);
  });

  it("writes every option, FORWARD only when the port is not 24224, in a stable key order", () => {
    const logConfiguration = { logDriver: "awsfirelens", options: { Name: "datadog" } };
    const def = gateContainer({
      ...base,
      gated: ["web", "worker"],
      name: "gate",
      forwardPort: 24225,
      monitor: "off",
      require: "accepted",
      deadline: "30s",
      records: 5,
      cpu: 16,
      memoryReservation: 64,
      logConfiguration,
    });
    expect(Object.keys(def)).toEqual([
      "name",
      "image",
      "essential",
      "cpu",
      "memoryReservation",
      "environment",
      "dependsOn",
      "logConfiguration",
    ]);
    expect(def.environment).toEqual([
      { name: "FIRELENS_PREFLIGHT_CONTAINERS", value: "web,worker" },
      { name: "FIRELENS_PREFLIGHT_FORWARD", value: "127.0.0.1:24225" },
      { name: "FIRELENS_PREFLIGHT_MONITOR", value: "off" },
      { name: "FIRELENS_PREFLIGHT_REQUIRE", value: "accepted" },
      { name: "FIRELENS_PREFLIGHT_DEADLINE", value: "30s" },
      { name: "FIRELENS_PREFLIGHT_RECORDS", value: "5" },
    ]);
    expect(def.logConfiguration).toBe(logConfiguration);
    expect(gateContainer({ ...base, forwardPort: 24224 }).environment.map((e) => e.name)).not.toContain(
      "FIRELENS_PREFLIGHT_FORWARD",
    );
  });

  it("is deterministic", () => {
    expect(JSON.stringify(gateContainer(base))).toBe(JSON.stringify(gateContainer(base)));
  });

  it.each([
    [{ gated: [] }, /gated: at least one/],
    [{ gated: ["app", "app"] }, /listed twice/],
    [{ gated: ["log-router"] }, /is the router/],
    [{ gated: ["dd-agent"] }, /is the agent/],
    [{ gated: ["log-router-preflight"] }, /is the preflight container/],
    [{ gated: ["a,b"] }, /not an ECS container name/],
    [{ gated: ["app\n"] }, /not an ECS container name/],
    [{ records: 1001 }, /records: 1001/],
    [{ image: "" }, /image: a probe image is required/],
    [{ name: "log-router" }, /already the router/],
    [{ forwardPort: 70000 }, /forwardPort: 70000/],
    [{ require: "delivered" as never }, /require: "delivered"/],
    [{ deadline: "soon" }, /deadline: "soon"/],
    [{ records: 0 }, /records: 0/],
    [{ memoryReservation: 1.5 }, /memoryReservation: 1.5/],
  ] as const)("rejects %o", (patch, message) => {
    expect(() => gateContainer({ ...base, ...patch })).toThrow(GateContainerError);
    expect(() => gateContainer({ ...base, ...patch })).toThrow(message);
  });
});

describe("gated containers named at deploy time", () => {
  it("lists a CloudFormation-named container with Fn::Join, and a placeholder-named one as written", () => {
    const name = intrinsic("Ref", "WorkloadName");
    const joined = gateContainer({ ...base, gated: ["web", name] }).environment[0];
    expect(joined).toEqual({
      name: "FIRELENS_PREFLIGHT_CONTAINERS",
      value: intrinsic("Fn::Join", [",", ["web", name]]),
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder, on purpose
    const templated = gateContainer({ ...base, gated: ["${app_name}"] }).environment[0];
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder, on purpose
    expect(templated?.value).toBe("${app_name}");
  });

  it("accepts durations in the probe's one grammar, hours included", () => {
    expect(
      gateContainer({ ...base, deadline: "1h" }).environment.find((e) => e.name.endsWith("DEADLINE"))?.value,
    ).toBe("1h");
  });
});

describe("gatedDependency", () => {
  it("is SUCCESS on the gate", () => {
    expect(gatedDependency()).toEqual({ containerName: "log-router-preflight", condition: "SUCCESS" });
    expect(gatedDependency("gate")).toEqual({ containerName: "gate", condition: "SUCCESS" });
  });
});
