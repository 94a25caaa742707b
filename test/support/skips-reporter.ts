/**
 * A Vitest reporter that ends the run with one line naming the tests skipped for a missing tool (chromium,
 * botocore, pre-commit, podman) and the command that installs them. Locally those tests skip rather than fail
 * (under CI they fail: .ci/run installs the tools), and a skip nobody reads is coverage silently lost.
 *
 * Which tool a skipped file waits for is read from the helper it calls to decide, so the helpers stay the one
 * place that knows how to find each tool.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

interface Tool {
  readonly name: string;
  /** Debian packages that provide it. */
  readonly packages: readonly string[];
  /** How a test file shows that it skips without this tool: the helper it asks. */
  readonly asks: RegExp;
}

const TOOLS: readonly Tool[] = [
  { name: "chromium", packages: ["chromium"], asks: /browserTestsRun|chromiumAvailable/ },
  { name: "botocore", packages: ["python3-botocore"], asks: /botocoreMissing/ },
  { name: "pre-commit", packages: ["pre-commit"], asks: /pre-commit hooks\$\{why\}/ },
  { name: "podman", packages: ["podman", "runc", "mmdebstrap"], asks: /from "\.\.?\/(image\/)?podman\.js"/ },
];

function toolOf(file: string): Tool | undefined {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return TOOLS.find((t) => t.asks.test(source));
}

export default class SkipsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byFile: { file: string; count: number; tool: Tool | undefined }[] = [];
    for (const module of testModules) {
      let count = 0;
      for (const test of module.children.allTests()) if (test.result().state === "skipped") count++;
      if (count > 0) byFile.push({ file: module.moduleId, count, tool: toolOf(module.moduleId) });
    }
    const missing = byFile.filter((f) => f.tool !== undefined);
    if (missing.length === 0) return;
    const total = missing.reduce((n, f) => n + f.count, 0);
    const named = missing.map((f) => `${relative(process.cwd(), f.file)} (${f.count}, ${f.tool?.name})`);
    const packages = [...new Set(missing.flatMap((f) => f.tool?.packages ?? []))];
    process.stdout.write(
      `\nSkipped ${total} tests for missing tools: ${named.join(", ")}; ` +
        `install with: sudo apt-get install --no-install-recommends ${packages.join(" ")}\n`,
    );
  }
}
