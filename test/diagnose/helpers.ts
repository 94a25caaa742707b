import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseDiagnoseInput } from "../../src/diagnose/index.js";
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
