import { describe, expect, it } from "vitest";
import {
  ConfigError,
  HELP_TEXT,
  loadConfig,
  OPTIONS,
  type ProbeConfig,
  parseDuration,
  unknownEnvNames,
} from "../../../src/probe/config.js";

function load(argv: string[], env: Record<string, string> = {}): ProbeConfig {
  const r = loadConfig(argv, env);
  if (r.kind !== "config") throw new Error("expected a config");
  return r.config;
}

function configError(argv: string[], env: Record<string, string> = {}): ConfigError {
  try {
    loadConfig(argv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("probe config", () => {
  it("has the documented defaults", () => {
    const c = load(["--containers", "app"]);
    expect(c.forward).toEqual({ kind: "tcp", host: "127.0.0.1", port: 24224 });
    expect(c.tags).toEqual([{ tag: "app-firelens-preflight", container: "app" }]);
    expect(c.records).toBe(3);
    expect(c.monitor?.href).toBe("http://127.0.0.1:2020/");
    expect(c.require).toBe("auto");
    expect(c.deadlineMs).toBe(60_000);
    expect(c.settleMs).toBe(1500);
    expect(c.agentReadyUrl).toBeNull();
  });

  it("reads FIRELENS_PREFLIGHT_* and lets flags win", () => {
    const env = {
      FIRELENS_PREFLIGHT_CONTAINERS: "app, web",
      FIRELENS_PREFLIGHT_TAGS: "raw-tag",
      FIRELENS_PREFLIGHT_RECORDS: "5",
      FIRELENS_PREFLIGHT_MONITOR: "off",
      FIRELENS_PREFLIGHT_REQUIRE: "accepted",
      FIRELENS_PREFLIGHT_DEADLINE: "2m",
      FIRELENS_PREFLIGHT_SETTLE: "1500ms",
      FIRELENS_PREFLIGHT_FORWARD: "unix:///var/run/fluent.sock",
      FIRELENS_PREFLIGHT_AGENT_READY_URL: "http://127.0.0.1:5555/ready",
    };
    const c = load(["--records", "2", "--deadline", "30s"], env);
    expect(c.tags.map((t) => t.tag)).toEqual(["app-firelens-preflight", "web-firelens-preflight", "raw-tag"]);
    expect(c.tags[2]?.container).toBeNull();
    expect(c.records).toBe(2);
    expect(c.deadlineMs).toBe(30_000);
    expect(c.monitor).toBeNull();
    expect(c.require).toBe("accepted");
    expect(c.forward).toEqual({ kind: "unix", path: "/var/run/fluent.sock" });
    expect(c.agentReadyUrl?.port).toBe("5555");
  });

  it("defaults the forward address to $FLUENT_HOST:$FLUENT_PORT when both are set (bridge mode)", () => {
    expect(
      load(["--containers", "a"], { FLUENT_HOST: "169.254.172.42", FLUENT_PORT: "24224" }).forward,
    ).toEqual({
      kind: "tcp",
      host: "169.254.172.42",
      port: 24224,
    });
    expect(
      load(["--containers", "a"], { FLUENT_HOST: "169.254.172.42", FLUENT_PORT: "24224" }).monitor?.href,
    ).toBe("http://169.254.172.42:2020/");
    expect(load(["--containers", "a"], { FLUENT_HOST: "10.0.0.1" }).forward).toMatchObject({
      host: "127.0.0.1",
    });
    expect(configError(["--containers", "a"], { FLUENT_HOST: "h", FLUENT_PORT: "x" }).source).toBe(
      "FLUENT_PORT",
    );
  });

  it("parses forward forms", () => {
    expect(load(["--containers", "a", "--forward", "[::1]:24224"]).forward).toEqual({
      kind: "tcp",
      host: "::1",
      port: 24224,
    });
    expect(load(["--containers", "a", "--forward", "/var/run/fluent.sock"]).forward).toEqual({
      kind: "unix",
      path: "/var/run/fluent.sock",
    });
  });

  it("parses durations", () => {
    expect(parseDuration("1500ms", "x", { min: 0 })).toBe(1500);
    expect(parseDuration("30s", "x", { min: 0 })).toBe(30_000);
    expect(parseDuration("1.5s", "x", { min: 0 })).toBe(1500);
    expect(parseDuration("2m", "x", { min: 0 })).toBe(120_000);
  });

  it("shrinks the default settle window to fit a short deadline", () => {
    expect(load(["--containers", "a", "--deadline", "1s"]).settleMs).toBe(500);
  });

  const bad: [string, string[], Record<string, string>, string][] = [
    ["no containers or tags", [], {}, "FIRELENS_PREFLIGHT_CONTAINERS"],
    [
      "records not a number",
      ["--containers", "a"],
      { FIRELENS_PREFLIGHT_RECORDS: "three" },
      "FIRELENS_PREFLIGHT_RECORDS",
    ],
    ["records zero", ["--containers", "a", "--records", "0"], {}, "--records"],
    ["records too many", ["--containers", "a", "--records", "100000"], {}, "--records"],
    [
      "deadline without unit",
      ["--containers", "a"],
      { FIRELENS_PREFLIGHT_DEADLINE: "60" },
      "FIRELENS_PREFLIGHT_DEADLINE",
    ],
    ["deadline garbage", ["--containers", "a", "--deadline", "soon"], {}, "--deadline"],
    [
      "settle garbage",
      ["--containers", "a"],
      { FIRELENS_PREFLIGHT_SETTLE: "-1s" },
      "FIRELENS_PREFLIGHT_SETTLE",
    ],
    ["settle beyond deadline", ["--containers", "a", "--settle", "10s", "--deadline", "5s"], {}, "--settle"],
    [
      "require unknown",
      ["--containers", "a"],
      { FIRELENS_PREFLIGHT_REQUIRE: "maybe" },
      "FIRELENS_PREFLIGHT_REQUIRE",
    ],
    ["require delivered", ["--containers", "a", "--require", "delivered"], {}, "--require"],
    [
      "require flushed, monitor off",
      ["--containers", "a", "--require", "flushed", "--monitor", "off"],
      {},
      "--require",
    ],
    [
      "monitor not a URL",
      ["--containers", "a"],
      { FIRELENS_PREFLIGHT_MONITOR: "localhost:2020" },
      "FIRELENS_PREFLIGHT_MONITOR",
    ],
    ["monitor ftp", ["--containers", "a", "--monitor", "ftp://x/"], {}, "--monitor"],
    [
      "forward without port",
      ["--containers", "a"],
      { FIRELENS_PREFLIGHT_FORWARD: "127.0.0.1" },
      "FIRELENS_PREFLIGHT_FORWARD",
    ],
    ["forward port out of range", ["--containers", "a", "--forward", "127.0.0.1:70000"], {}, "--forward"],
    ["forward relative unix", ["--containers", "a", "--forward", "unix://fluent.sock"], {}, "--forward"],
    ["container with a space", ["--containers", "my app"], {}, "--containers"],
    [
      "container in env with a slash",
      [],
      { FIRELENS_PREFLIGHT_CONTAINERS: "a/b" },
      "FIRELENS_PREFLIGHT_CONTAINERS",
    ],
    ["tag too long", ["--tags", "x".repeat(300)], {}, "--tags"],
    ["agent URL bad", ["--containers", "a", "--agent-ready-url", "nope"], {}, "--agent-ready-url"],
    [
      "agent URL env bad",
      ["--containers", "a"],
      { FIRELENS_PREFLIGHT_AGENT_READY_URL: "tcp://x" },
      "FIRELENS_PREFLIGHT_AGENT_READY_URL",
    ],
    ["unknown flag", ["--containers", "a", "--colour"], {}, "command line"],
    ["positional", ["--containers", "a", "extra"], {}, "command line"],
    ["run id bad", ["--containers", "a", "--run-id", "a b"], {}, "--run-id"],
  ];
  it.each(bad)("%s → ConfigError naming the variable", (_name, argv, env, source) => {
    const e = configError(argv, env);
    expect(e.source).toContain(source);
    expect(e.message).toContain("expected");
  });

  it("never echoes a rejected value, only the variable and what was expected", () => {
    const secret = "Bearer 0123456789abcdef0123456789abcdef";
    for (const spec of Object.values(OPTIONS)) {
      if (spec.env === OPTIONS.tags.env || spec.env === OPTIONS.containers.env) continue;
      const e = configError(["--containers", "a"], { [spec.env]: secret });
      expect(e.source).toBe(spec.env);
      expect(e.message).not.toContain("0123");
      expect(e.message).not.toContain("Bearer");
    }
    for (const [argv, env] of [
      [["--containers", secret], {}],
      [["--tags", secret], {}],
      [["--containers", "a", secret], {}],
      [["--containers", "a", `--${secret}`], {}],
      [["--containers", "a"], { FLUENT_HOST: secret, FLUENT_PORT: "24224" }],
      [["--containers", "a"], { FLUENT_HOST: "h", FLUENT_PORT: secret }],
      [["--containers", "a", "--monitor", "http://user:s3cretpassw0rd@127.0.0.1:2020"], {}],
    ] as [string[], Record<string, string>][]) {
      const e = configError(argv, env);
      expect(e.message).not.toMatch(/0123|Bearer|s3cret/);
    }
  });

  it("names an unknown option only when it looks like a flag", () => {
    expect(configError(["--containers", "a", "--colour"]).message).toContain("unknown option --colour");
    expect(configError(["--containers", "a", "--colour=red"]).message).toContain("unknown option --colour");
    expect(configError(["--containers", "a", "stray"]).message).toContain(
      "an argument that belongs to no option",
    );
    expect(configError(["--containers", "a", "--deadline"]).message).toContain(
      "--deadline without its value",
    );
  });

  it("answers --help", () => {
    expect(loadConfig(["--help"], {}).kind).toBe("help");
  });

  it("answers --version, and --help says it is there", () => {
    expect(loadConfig(["--version"], {}).kind).toBe("version");
    expect(HELP_TEXT).toContain("--version");
  });

  it("names unknown FIRELENS_PREFLIGHT_* variables", () => {
    expect(
      unknownEnvNames({ FIRELENS_PREFLIGHT_CONTAINER: "a", FIRELENS_PREFLIGHT_TAGS: "x", HOME: "/" }),
    ).toEqual(["FIRELENS_PREFLIGHT_CONTAINER"]);
  });
});
