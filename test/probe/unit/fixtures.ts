/**
 * Recorded answers of real Fluent Bit (test/fixtures/fluent-bit/),
 * turned back into raw HTTP answers: capture.mjs stored JSON bodies parsed, so they are re-serialised.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RawAnswer } from "../../../src/probe/monitor.js";

export const VERSIONS = ["1.8.3", "1.9.10", "4.2.8"] as const;
export type Version = (typeof VERSIONS)[number];

const root = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/fluent-bit");

interface RecordedAnswer {
  url: string;
  status?: number;
  contentType?: string | null;
  body?: unknown;
  error?: string;
}

interface TimelineStep {
  atMs: number;
  step: string;
  answers?: RecordedAnswer[];
}

export interface Recording {
  scenario: string;
  timeline: TimelineStep[];
  routerExit: { code: number | null; signal: string | null; atMs: number } | null;
}

export function recording(version: Version, scenario: string): Recording {
  return JSON.parse(readFileSync(join(root, version, `${scenario}.json`), "utf8")) as Recording;
}

export function raw(a: RecordedAnswer): RawAnswer {
  if (a.status === undefined) throw new Error(`${a.url}: no answer recorded (${a.error})`);
  const body = typeof a.body === "string" ? a.body : JSON.stringify(a.body);
  return { status: a.status, contentType: a.contentType ?? null, body };
}

/** Every recorded answer for `url`, in time order, with the step it was taken at. */
export function answers(
  rec: Recording,
  url: string,
): { atMs: number; step: string; answer: RecordedAnswer }[] {
  const out: { atMs: number; step: string; answer: RecordedAnswer }[] = [];
  for (const s of rec.timeline) {
    for (const a of s.answers ?? []) if (a.url === url) out.push({ atMs: s.atMs, step: s.step, answer: a });
  }
  return out;
}
