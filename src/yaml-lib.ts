/**
 * The `yaml` library, loaded the first time a YAML document is read or written rather than when this package is.
 * It is the largest thing `check` would otherwise compile on every start (about 40 ms on a 100 ms Node start),
 * and a pre-commit hook pays that start on every commit, mostly for JSON and Terraform files that never need it.
 * `require` keeps every parser synchronous; `yaml` resolves to the same CommonJS build under `import` on Node.
 */
import { createRequire } from "node:module";

export type YamlLib = typeof import("yaml");

let loaded: YamlLib | undefined;

export function yamlLib(): YamlLib {
  loaded ??= createRequire(import.meta.url)("yaml") as YamlLib;
  return loaded;
}
