/**
 * `yaml` is loaded only when a YAML document or config is read (src/yaml-lib.ts): it was the largest thing a
 * `check` of a JSON file compiled on every start. Checked on the shipped CLI and the shipped library, by whether
 * Node's module cache holds `yaml` when the process ends.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = mkdtempSync(join(tmpdir(), "flp-lazy-yaml-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Preloaded into the process under test: says at exit whether any file of the `yaml` package was loaded. */
const REPORT = join(root, "report.cjs");
writeFileSync(
  REPORT,
  [
    "const loaded = () => Object.keys(require.cache).some((f) => /[\\\\/]node_modules[\\\\/]yaml[\\\\/]/.test(f));",
    'process.on("exit", () => process.stderr.write("yaml loaded: " + loaded() + "\\n"));',
    "",
  ].join("\n"),
);

function yamlLoaded(args: readonly string[], cwd = root): boolean {
  const run = spawnSync(process.execPath, ["--require", REPORT, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const said = /yaml loaded: (true|false)/.exec(run.stderr)?.[1];
  if (said === undefined) throw new Error(`no report (exit ${run.status}): ${run.stderr}`);
  return said === "true";
}

describe("yaml loads on first use", () => {
  const cli = resolve("dist/cli/main.js");

  it("check of a JSON task definition does not load it; of a YAML one it does", () => {
    expect(yamlLoaded([cli, "check", resolve("examples/seed/after.json")])).toBe(false);
    const yamlFile = join(root, "task.yaml");
    writeFileSync(yamlFile, "family: web\ncontainerDefinitions:\n  - name: app\n    image: nginx:1.27\n");
    expect(yamlLoaded([cli, "check", yamlFile])).toBe(true);
  });

  it("a YAML config file loads it for a JSON check", () => {
    const project = mkdtempSync(join(root, "project-"));
    writeFileSync(join(project, "firelens-preflight.config.yaml"), "failOn: none\n");
    expect(yamlLoaded([cli, "check", resolve("examples/seed/after.json")], project)).toBe(true);
  });

  it("the library parses JSON without it and YAML with it", () => {
    const script = (text: string, name: string) =>
      `import(${JSON.stringify(resolve("dist/taskdef/index.js"))}).then((t) => t.parseDocument(${JSON.stringify(text)}, ${JSON.stringify(name)}))`;
    const json = '{"family":"web","containerDefinitions":[{"name":"app","image":"nginx:1.27"}]}';
    expect(yamlLoaded(["-e", script(json, "task.json")])).toBe(false);
    expect(yamlLoaded(["-e", script("family: web\ncontainerDefinitions: []\n", "task.yaml")])).toBe(true);
  });
});
