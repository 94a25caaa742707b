/**
 * SARIF from the CLI, as GitHub code scanning reads it: valid against the OASIS 2.1.0 schema, with
 * `driver.version`, `security-severity` on the security rule, and file locations relative to `%SRCROOT%`
 * (declared in `originalUriBaseIds`) even when the files were named by absolute path.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

interface SarifLog {
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: {
          id: string;
          helpUri: string;
          properties: { tags: string[]; "security-severity"?: string };
        }[];
      };
    };
    originalUriBaseIds?: Record<string, { uri: string }>;
    artifacts: { location: { uri: string; uriBaseId?: string } }[];
    results: {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[];
    }[];
  }[];
}

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  version: string;
  homepage: string;
  repository: { url: string };
  bugs: { url: string };
};

function validator() {
  const schema = JSON.parse(readFileSync("test/fixtures/sarif/sarif-schema-2.1.0.json", "utf8")) as Record<
    string,
    unknown
  >;
  // Draft-04 → what Ajv 8 reads (see test/fixtures/sarif/README.md).
  const { id, $schema: _draft, ...rest } = schema;
  return new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile({
    $id: String(id),
    ...rest,
  });
}

/** A task definition outside the working directory with a plaintext API key (FLP301). */
function secretTask(): string {
  const file = join(mkdtempSync(join(tmpdir(), "flp-sarif-")), "secret.json");
  writeFileSync(
    file,
    JSON.stringify(
      {
        containerDefinitions: [
          {
            name: "log-router",
            image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1",
            essential: true,
            firelensConfiguration: { type: "fluentbit" },
          },
          {
            name: "app",
            image: "nginx:1.27",
            essential: true,
            logConfiguration: {
              logDriver: "awsfirelens",
              options: { Name: "datadog", apikey: "0123456789abcdef0123456789abcdef" },
            },
          },
        ],
      },
      null,
      2,
    ),
  );
  return file;
}

describe("lint -f sarif for GitHub code scanning", () => {
  const outside = secretTask();
  const inside = resolve("examples/seed/before.json");
  const run = cli(["lint", "-f", "sarif", "--fail-on", "none", inside, outside]);
  const log = JSON.parse(run.stdout) as SarifLog;
  const sarifRun = log.runs[0] as SarifLog["runs"][number];

  it("validates against the OASIS SARIF 2.1.0 schema", () => {
    expect(run.code).toBe(0);
    const validate = validator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("names the tool's version", () => {
    expect(sarifRun.tool.driver.version).toBe(pkg.version);
  });

  it("gives the rules tagged security a security-severity, and only them", () => {
    const rules = sarifRun.tool.driver.rules;
    const flp301 = rules.find((r) => r.id === "FLP301");
    expect(flp301?.properties.tags).toContain("security");
    expect(flp301?.properties["security-severity"]).toBe("7.5");
    expect(rules.filter((r) => r.properties["security-severity"] !== undefined).map((r) => r.id)).toEqual(
      rules.filter((r) => r.properties.tags.includes("security")).map((r) => r.id),
    );
    expect(sarifRun.results.map((r) => r.ruleId)).toContain("FLP301");
  });

  it("makes absolute paths under the working directory relative to %SRCROOT%, declared as the working directory", () => {
    expect(sarifRun.originalUriBaseIds?.["%SRCROOT%"]?.uri).toBe(`${pathToFileURL(process.cwd()).href}/`);
    expect(sarifRun.artifacts[0]?.location).toEqual({
      uri: "examples/seed/before.json",
      uriBaseId: "%SRCROOT%",
    });
    const seedResult = sarifRun.results.find((r) => r.ruleId === "FLP201");
    expect(seedResult?.locations[0]?.physicalLocation.artifactLocation).toMatchObject({
      uri: "examples/seed/before.json",
      uriBaseId: "%SRCROOT%",
    });
  });

  it("keeps a file outside the working directory as an absolute file URI", () => {
    expect(sarifRun.artifacts[1]?.location).toEqual({ uri: pathToFileURL(outside).href });
  });

  it("points helpUri and informationUri at the repository package.json names", () => {
    const repo = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
    expect(pkg.homepage.startsWith(repo)).toBe(true);
    expect(pkg.bugs.url).toBe(`${repo}/issues`);
    expect(sarifRun.tool.driver.informationUri).toBe(repo);
    for (const rule of sarifRun.tool.driver.rules) {
      expect(rule.helpUri).toBe(`${repo}/blob/main/docs/rules/${rule.id}.md`);
    }
  });
});
