/**
 * Where the rehearsed router's outputs go: nothing leaves the machine unless asked. The Datadog output is pointed
 * at the local fake intake with `Host`, `Port` and `TLS` rewritten and every other option kept (`provider`,
 * `dd_tags`, `compress`…: the crashes live in those). Outputs whose plugin takes an endpoint go to a local sink;
 * `null`, `stdout` and `counter` stay as they are; any other plugin is not covered and goes to `null`, unless the
 * caller keeps real destinations.
 */
import type { FluentBitSections, LogPipe } from "../firelens/index.js";

/** Plugins configured by an `endpoint` URL (the AWS outputs, Go and C). */
const ENDPOINT_PLUGINS = new Set([
  "cloudwatch_logs",
  "cloudwatch",
  "kinesis_firehose",
  "firehose",
  "kinesis_streams",
  "kinesis",
  "s3",
]);
/** Plugins configured by `Host` and `Port`. */
const HOST_PORT_PLUGINS = new Set(["http", "es", "opensearch", "loki", "splunk"]);
const LOCAL_PLUGINS = new Set(["null", "stdout", "counter"]);

export type Destination =
  | { readonly kind: "intake"; readonly plugin: string; readonly match: string }
  | { readonly kind: "sink"; readonly plugin: string; readonly match: string }
  | { readonly kind: "local"; readonly plugin: string; readonly match: string }
  | { readonly kind: "not-covered"; readonly plugin: string; readonly match: string; readonly real: boolean };

export interface Redirected {
  readonly sections: FluentBitSections;
  readonly destinations: readonly Destination[];
}

function without(options: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (!drop.has(k.toLowerCase())) out[k] = v;
  return out;
}

export function redirectOutputs(
  sections: FluentBitSections,
  ports: { readonly intake: number; readonly sink: number },
  realDestinations: boolean,
): Redirected {
  const destinations: Destination[] = [];
  const outputs: LogPipe[] = sections.outputs.map((o) => {
    const plugin = o.name.toLowerCase();
    const match = o.tag;
    if (plugin === "datadog") {
      destinations.push({ kind: "intake", plugin, match });
      return {
        ...o,
        options: {
          ...without(o.options, ["Host", "Port", "TLS", "tls.verify"]),
          Host: "127.0.0.1",
          Port: String(ports.intake),
          TLS: "off",
        },
      };
    }
    if (ENDPOINT_PLUGINS.has(plugin)) {
      destinations.push({ kind: "sink", plugin, match });
      return {
        ...o,
        options: { ...without(o.options, ["endpoint"]), endpoint: `http://127.0.0.1:${ports.sink}` },
      };
    }
    if (HOST_PORT_PLUGINS.has(plugin)) {
      destinations.push({ kind: "sink", plugin, match });
      return {
        ...o,
        options: {
          ...without(o.options, ["Host", "Port", "TLS", "tls.verify"]),
          Host: "127.0.0.1",
          Port: String(ports.sink),
          TLS: "off",
        },
      };
    }
    if (LOCAL_PLUGINS.has(plugin)) {
      destinations.push({ kind: "local", plugin, match });
      return o;
    }
    destinations.push({ kind: "not-covered", plugin, match, real: realDestinations });
    return realDestinations ? o : { name: "null", tag: o.tag, options: {} };
  });
  return { sections: { ...sections, outputs }, destinations };
}
