import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigFileError, findConfig, loadConfigFile, parseConfigText } from "../../src/config/index.js";

const root = mkdtempSync(join(tmpdir(), "flp-config-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): ConfigFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error("expected a ConfigFileError");
}

const YAML = `include:
  - infra/**/*.json
exclude:
  - "**/legacy/**"
rules:
  disable: [flp203]
  severity:
    FLP212: warning
failOn: warning
suppress:
  - id: FLP202
    containers: [log-router]
    files: ["infra/old/*.json"]
    reason: pinned by digest in the CD pipeline
fix:
  probeImage: 123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:1
  name: gate
  timeout: 90s
`;

describe("config file", () => {
  it("reads every key, normalising rule ids", () => {
    expect(parseConfigText(YAML, "c.yaml")).toEqual({
      include: ["infra/**/*.json"],
      exclude: ["**/legacy/**"],
      rules: { disable: ["FLP203"], severity: { FLP212: "warning" } },
      failOn: "warning",
      suppress: [
        {
          id: "FLP202",
          containers: ["log-router"],
          files: ["infra/old/*.json"],
          reason: "pinned by digest in the CD pipeline",
        },
      ],
      fix: {
        probeImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/firelens-preflight:1",
        name: "gate",
        timeout: "90s",
      },
    });
    expect(parseConfigText('{ "failOn": "none" }', "c.json")).toEqual({ failOn: "none" });
  });

  it.each([
    ["failOn: loud\n", "c.yaml:1:9: failOn: expected", /one of "error", "warning", "note", "none"/],
    [
      "suppress:\n  - id: FLP203\n    reason: because\n",
      "c.yaml:3:13: suppress[0].reason: expected",
      /at least 10 characters/,
    ],
    ["rules:\n  disable: [FLP2]\n", "c.yaml:2:13: rules.disable[0]: expected", /a rule id such as FLP203/],
    ["fix:\n  timeout: 90\n", "c.yaml:2:12: fix.timeout: expected", /string/],
    [
      "fix:\n  timeout: soon\n",
      "c.yaml:2:12: fix.timeout: expected",
      /a duration such as 1500ms, 30s, 2m or 1h/,
    ],
    ["fail_on: error\n", "c.yaml:1:1: fail_on: is not a config key", /README/],
    ["failOn: [\n", "c.yaml:2:1:", /./],
  ])("locates %j", (text, prefix, detail) => {
    const e = errorOf(() => parseConfigText(text, "c.yaml"));
    expect(e.message.startsWith(prefix)).toBe(true);
    expect(e.message).toMatch(detail);
  });

  it("refuses alias expansion beyond a small budget, quickly", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const started = Date.now();
    const e = errorOf(() => parseConfigText(`${levels.join("\n")}\ninclude: *i\n`, "bomb.yaml"));
    expect(e.message).toMatch(/^bomb\.yaml:1:1: cannot be read/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("reads the package.json key, and locates errors inside it", () => {
    const pkg = write(
      "pkg/package.json",
      '{\n  "name": "x",\n  "firelens-preflight": { "failOn": "never" }\n}\n',
    );
    const e = errorOf(() => loadConfigFile(pkg));
    expect(e.message).toMatch(/package\.json:3:37: failOn: expected/);
    write("pkg2/package.json", '{ "name": "x", "firelens-preflight": { "failOn": "note" } }');
    expect(loadConfigFile(join(root, "pkg2/package.json")).config).toEqual({ failOn: "note" });
  });

  it("is found from the working directory upwards, nearest first, and not above the repository root", () => {
    write("repo/.git/HEAD", "ref: refs/heads/main\n");
    write("repo/firelens-preflight.config.yaml", "failOn: note\n");
    write("repo/services/api/firelens-preflight.config.json", '{ "failOn": "error" }');
    write("repo/services/web/package.json", '{ "name": "web" }');
    write("firelens-preflight.config.yaml", "failOn: none\n");
    expect(findConfig(join(root, "repo/services/api"))?.config.failOn).toBe("error");
    expect(findConfig(join(root, "repo/services/web"))?.config.failOn).toBe("note");
    mkdirSync(join(root, "other/.git"), { recursive: true });
    expect(findConfig(join(root, "other"))).toBeUndefined();
  });

  it("refuses two configs in one directory", () => {
    write("both/firelens-preflight.config.json", "{}");
    write("both/firelens-preflight.config.yaml", "{}");
    expect(errorOf(() => findConfig(join(root, "both"))).message).toMatch(/two configs in one directory/);
  });
});
