/** What the router's own configuration says: its type and the config file it loads. */
import { ROUTER_MONITORING_CONFIG } from "../probe/contract.js";
import type { ContainerDefinition } from "../taskdef/model.js";
import { isObject, option, optionsOf, str } from "./values.js";

/** `fluentbit` / `fluentd` from the router's firelensConfiguration, lower-cased. */
export function firelensTypeOf(def: ContainerDefinition): string | undefined {
  const f: unknown = def.firelensConfiguration;
  return isObject(f) ? str(f.type)?.toLowerCase() : undefined;
}

/** The `config-file-value` the router loads, as written (a value only known at deploy time stays as is). */
export function configFileOf(def: ContainerDefinition): unknown {
  return option(optionsOf(def.firelensConfiguration as unknown), "config-file-value")?.value;
}

/** The router loads aws-for-fluent-bit's built-in monitoring config (and so runs the HTTP server on :2020). */
export function loadsMonitoringConfig(def: ContainerDefinition): boolean {
  return configFileOf(def) === ROUTER_MONITORING_CONFIG;
}

/**
 * The router loads a config file of its own, which may configure inputs and outputs we cannot see. The built-in
 * monitoring config holds only [SERVICE] settings, so it hides nothing and does not count.
 */
export function loadsCustomConfig(def: ContainerDefinition): boolean {
  const value = configFileOf(def);
  return value !== undefined && value !== ROUTER_MONITORING_CONFIG;
}
