/**
 * SARIF output on a large file with a finding on every tenth line: the time at one size and at four times the
 * size (text and findings both ×4). Region ends are found from line starts computed once per file, so the
 * ratio stays near 4 × (a little above: the larger log costs more to build and collect); a rescan of the text
 * per finding makes it near 16 ×. The goal sits between the two, at 8 ×.
 */
import { formatSarif } from "../src/rules/index.js";
import type { Finding, LintFileResult } from "../src/rules/types.js";
import type { BenchSection } from "./run.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** One file of `lines` lines, with a finding spanning two lines at every tenth. */
function file(lines: number): LintFileResult {
  const text = Array.from({ length: lines }, (_, i) => `    "key${i}": "value ${i}",\n`).join("");
  const findings: Finding[] = [];
  let offset = 0;
  for (let i = 0; i < lines; i++) {
    const length = 30 + String(i).length * 2;
    if (i % 10 === 0) {
      findings.push({
        ruleId: "FLP201",
        severity: "error",
        title: "t",
        message: `finding ${i}`,
        messageId: "m",
        taskDefinition: "td",
        location: { file: "big.json", line: i + 1, column: 5, offset: offset + 4, length: length + 6 },
        jsonPath: `$.key${i}`,
        fixHint: "h",
      });
    }
    offset += length;
  }
  return { file: "big.json", text, findings };
}

function time(result: LintFileResult, rounds: number): number {
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    if (formatSarif([result], { toolVersion: "0.0.0" }).length === 0) throw new Error("no output");
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(ms);
}

export async function run(): Promise<BenchSection> {
  const small = file(20_000);
  const large = file(80_000);
  time(small, 5);
  time(large, 3);
  const ratios: number[] = [];
  const largeMs: number[] = [];
  for (let round = 0; round < 7; round++) {
    const s = time(small, 1);
    const l = time(large, 1);
    ratios.push(l / s);
    largeMs.push(l);
  }
  const ratio = median(ratios);
  return {
    title: "sarif",
    figures: [
      {
        name: "SARIF time at 4 × the file and findings / at 1 ×",
        value: `${ratio.toFixed(1)} ×`,
        goal: "≤ 8 × (linear: 4 ×; a rescan per finding: 16 ×)",
        met: ratio <= 8,
        how: `formatSarif of one file of 20,000 then 80,000 lines with a finding every tenth line (${small.findings.length.toLocaleString("en-US")} and ${large.findings.length.toLocaleString("en-US")} findings), median of 7 back-to-back rounds`,
      },
      {
        name: "SARIF time, 80,000 lines and 8,000 findings",
        value: `${median(largeMs).toFixed(0)} ms`,
        how: "the larger case above, median of the same rounds",
      },
    ],
  };
}
