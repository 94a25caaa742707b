import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { DiagnoseInputError, parseDiagnoseInput } from "../../src/diagnose/index.js";
import type { DiagnoseInput } from "../../src/diagnose/types.js";
import { parseDocument } from "../../src/taskdef/index.js";
import type { TaskDefinitionView } from "../../src/taskdef/model.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function readRepo(path: string): string {
  return readFileSync(`${ROOT}${path}`, "utf8");
}

export function input(path: string): DiagnoseInput {
  return parseDiagnoseInput(readRepo(path), path);
}

export function taskDefinition(path: string): TaskDefinitionView {
  const td = parseDocument(readRepo(path), path).taskDefinitions[0];
  if (td === undefined) throw new Error(`${path}: no task definition`);
  return td;
}

export const SEED_TASKS = "examples/seed/incident/describe-tasks.json";
export const SEED_SERVICES = "examples/seed/incident/describe-services.json";
export const SEED_TASKDEF = "examples/seed/before.json";
export const FIX = "test/fixtures/diagnose/";

/** The first C0/C1 control character in `text` other than a line break, as `U+001B`, or `undefined`. */
export function controlCharacter(text: string): string | undefined {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c <= 0x1f && c !== 0x0a) || (c >= 0x7f && c <= 0x9f)) return `U+${c.toString(16).padStart(4, "0")}`;
  }
  return undefined;
}

/** The `DiagnoseInputError` that parsing `text` throws; fails the test if it parses. */
export function inputError(text: string, file = "in.json"): DiagnoseInputError {
  try {
    parseDiagnoseInput(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnoseInputError);
    return e as DiagnoseInputError;
  }
  throw new Error("expected an error");
}
