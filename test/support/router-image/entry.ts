/**
 * The entry of the test router image: the project's test router (test/support/router/, held to the recordings of
 * real Fluent Bit) behind the aws-for-fluent-bit layout. Like the real image it reads
 * `/fluent-bit/etc/fluent-bit.conf` at start, listens where that file says (the forward inputs on the unix socket
 * and TCP, the health-check `tcp` input, the monitoring server of `[SERVICE] HTTP_Server`), sends the `datadog`
 * output's chunks to its `Host`/`Port`, and crashes, errors or retries as the impersonated version does for the
 * configuration and records it is given. The version is baked into the image (`FLB_TEST_ROUTER_VERSION`); faults
 * for tests come from the task's own router environment (`FLB_TEST_ROUTER_FAULTS`, JSON of `RouterFaults`).
 *
 * The test router listens on loopback ports of its own; this entry forwards the configured ports to them byte
 * for byte, and closes a client's connection when the router closes its side, so a crash looks the same from
 * outside. A signal death ends the process with 128 + the signal number, what ECS reports (139, 134).
 */
import net from "node:net";
import { type RouterFaults, type RouterVersion, startTestRouter } from "../router/index.js";
import { ConfigError, isOn, readConfig, type Section } from "./conf.js";

const CONFIG = process.env.FLB_TEST_ROUTER_CONFIG ?? "/fluent-bit/etc/fluent-bit.conf";
const SIGNALS: Record<string, number> = { SIGSEGV: 11, SIGABRT: 6 };

function log(level: string, scope: string, message: string): void {
  const t = new Date().toISOString().replace("T", " ").slice(0, 19).replaceAll("-", "/");
  process.stderr.write(`[${t}] [${level.padStart(5)}] [${scope}] ${message}\n`);
}

function fail(message: string): never {
  log("error", "config", message);
  process.exit(1);
}

function proxy(listenHost: string, port: number, target: () => number): net.Server {
  const server = net.createServer((client) => {
    const upstream = net.connect(target(), "127.0.0.1");
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  server.listen(port, listenHost);
  return server;
}

async function main(): Promise<void> {
  const version = (process.env.FLB_TEST_ROUTER_VERSION ?? "1.8.3") as RouterVersion;
  process.stderr.write(`Fluent Bit v${version}\n* Copyright (C) 2015-2021 The Fluent Bit Authors\n`);
  process.stderr.write("* (test router image: the project's replay of real Fluent Bit recordings)\n\n");
  let sections: Section[];
  try {
    sections = readConfig(CONFIG);
  } catch (e) {
    fail(e instanceof ConfigError ? e.message : String(e));
  }
  const service = sections.find((s) => s.kind === "SERVICE")?.entries ?? new Map<string, string>();
  const inputs = sections.filter((s) => s.kind === "INPUT");
  const outputs = sections.filter((s) => s.kind === "OUTPUT");
  for (const s of [...inputs, ...outputs, ...sections.filter((x) => x.kind === "FILTER")]) {
    if (!s.entries.has("name")) fail(`a [${s.kind}] section without Name in ${s.file}`);
  }
  const datadog = outputs.filter((o) => o.entries.get("name")?.toLowerCase() === "datadog");
  for (const o of outputs) {
    const name = o.entries.get("name")?.toLowerCase();
    if (name !== "datadog" && name !== "null")
      log("warn", "test router", `output ${name} is not modelled: its records are discarded`);
  }
  if (datadog.length > 1) log("warn", "test router", "several datadog outputs: one output serves them all");
  const dd = datadog[0]?.entries;
  if (dd !== undefined && isOn(dd.get("tls")))
    log("warn", "test router", "TLS to the intake is not modelled: the output speaks plain HTTP");
  let faults: RouterFaults = {};
  if (process.env.FLB_TEST_ROUTER_FAULTS)
    faults = JSON.parse(process.env.FLB_TEST_ROUTER_FAULTS) as RouterFaults;
  const monitoring = isOn(service.get("http_server"));
  const unixInput = inputs.find((i) => i.entries.get("name") === "forward" && i.entries.has("unix_path"));
  const router = await startTestRouter({
    version,
    flushMs: Math.max(1, Number(service.get("flush") ?? "1")) * 1000,
    monitoring,
    healthCheck: isOn(service.get("health_check")),
    ...(dd === undefined
      ? {}
      : {
          intakeUrl: `http://${dd.get("host") ?? "127.0.0.1"}:${dd.get("port") ?? "443"}`,
          apiKey: dd.get("apikey") ?? "",
          match: datadog.length > 1 ? "*" : (dd.get("match") ?? "*"),
          providerEcs: dd.get("provider") === "ecs",
          ...(dd.has("dd_tags") ? { ddTags: dd.get("dd_tags") } : {}),
          ...(dd.has("dd_service") ? { ddService: dd.get("dd_service") } : {}),
          ...(dd.has("dd_source") ? { ddSource: dd.get("dd_source") } : {}),
        }),
    ...(unixInput === undefined ? {} : { unixPath: unixInput.entries.get("unix_path") }),
    // The remapped-tags bug is the version's, not a fault: 1.8.3 and 1.9.10 die on the trigger chunk, 4.2.8 not.
    faults: { crashOnProviderEcsTrigger: true, ...faults },
  });
  log("info", "engine", `started (pid=${process.pid})`);
  const servers: net.Server[] = [];
  for (const input of inputs) {
    const name = input.entries.get("name");
    const port = Number(input.entries.get("port") ?? "0");
    const listen = input.entries.get("listen") ?? "0.0.0.0";
    if (name === "forward" && input.entries.has("unix_path")) {
      log("info", "input:forward", `listening on unix://${input.entries.get("unix_path")}`);
    } else if (name === "forward") {
      servers.push(proxy(listen, port || 24224, () => router.forwardPort));
      log("info", "input:forward", `listening on ${listen}:${port || 24224}`);
    } else if (name === "tcp") {
      const s = net.createServer((c) => c.resume().on("error", () => {}));
      s.listen(port || 5170, listen);
      servers.push(s);
    } else {
      log("warn", "test router", `input ${name} is not modelled`);
    }
  }
  if (monitoring && router.monitorPort !== undefined) {
    const port = Number(service.get("http_port") ?? "2020");
    const listen = service.get("http_listen") ?? "0.0.0.0";
    servers.push(proxy(listen, port, () => router.monitorPort ?? 0));
    log("info", "http_server", `listen iface=${listen} tcp_port=${port}`);
  }
  process.on("SIGTERM", () => {
    log("info", "engine", "service will shutdown in max 5 seconds");
    void router.stop();
  });
  const exit = await router.exited;
  for (const s of servers) s.close();
  if (exit.signal !== null) {
    log("error", "engine", `caught signal (${exit.signal})`);
    process.stderr.write("#0  (test router: a replayed recording has no backtrace)\n");
    process.exit(128 + (SIGNALS[exit.signal] ?? 11));
  }
  process.exit(exit.code ?? 0);
}

await main();
