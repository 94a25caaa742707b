import { essentialUnnamed } from "../../../src/diagnose/cases/essential-unnamed.js";
import { caseTable, stopped } from "./table.js";

caseTable(essentialUnnamed, [
  {
    name: "every container exited 143/137",
    task: stopped([
      { name: "web", exitCode: 143 },
      { name: "worker", exitCode: 137 },
    ]),
    applies: true,
    verdict: {
      kind: "essential-exited",
      summary:
        "An essential container exited and stopped the task, but every container exited 143/137 or has no exit code, so the evidence does not say which one went first.",
      culprit: null,
      prevention: [],
    },
  },
  {
    name: "no container has an exit code",
    task: stopped([{ name: "web" }]),
    applies: true,
    verdict: { traffic: "before" },
  },
  {
    name: "one container exited on its own",
    task: stopped([
      { name: "web", exitCode: 1 },
      { name: "worker", exitCode: 137 },
    ]),
    applies: false,
    decidedBy: "essential-exited",
  },
]);
