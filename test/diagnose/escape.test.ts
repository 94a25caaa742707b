import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diagnose, renderDiagnosisJson, renderDiagnosisText } from "../../src/diagnose/index.js";
import type { Task } from "../../src/diagnose/types.js";
import { printable, printableJson } from "../../src/model/index.js";
import { controlCharacter } from "./helpers.js";

const UNSAFE = [0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9b, 0x2028, 0x2029, 0x202e, 0x2066, 0x2069];
const unsafeChar = fc.constantFrom(...UNSAFE.map((c) => String.fromCharCode(c)));
const text = fc
  .array(fc.oneof(fc.string({ maxLength: 4 }), unsafeChar), { maxLength: 12 })
  .map((a) => a.join(""));

function hasUnsafe(s: string): boolean {
  return [...s].some((ch) => UNSAFE.includes(ch.charCodeAt(0)) || ch.charCodeAt(0) < 0x20);
}

describe("printable", () => {
  it("writes control and invisible format characters as \\u escapes", () => {
    expect(printable("\u001b[2Japp\u009b\u202e\n")).toBe("\\u001b[2Japp\\u009b\\u202e\\u000a");
    expect(printable("log-router")).toBe("log-router");
  });

  it("leaves nothing unsafe, and reads back to the original", () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = printable(s);
        expect(hasUnsafe(out)).toBe(false);
        // Without backslashes and quotes in the input, the output is a JSON string body for the input.
        if (!/["\\]/.test(s)) expect(JSON.parse(`"${out}"`)).toBe(s);
        if (!hasUnsafe(s)) expect(out).toBe(s);
      }),
    );
  });
});

describe("printableJson", () => {
  it("keeps the JSON value and leaves no raw C1 or format character", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), text, (v, s) => {
        const value = { v, s };
        const plain = JSON.stringify(value, null, 2);
        const json = printableJson(plain);
        // Compared with JSON's own round trip, which already turns -0 into 0.
        expect(JSON.parse(json)).toEqual(JSON.parse(plain));
        expect(controlCharacter(json)).toBeUndefined();
        expect(/[\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(json)).toBe(false);
      }),
    );
  });
});

describe("names and messages from the documents, printed", () => {
  const task: Task = {
    taskArn: "arn:aws:ecs:us-east-1:1:task/c/\u001b]0;owned\u0007",
    group: "service:\u009b2J",
    lastStatus: "STOPPED",
    stopCode: "EssentialContainerExited",
    stoppedReason: "Essential container in task exited\r\nforged line",
    containers: [
      { name: "\u001b[2Japp\u202e", image: "nginx:1.27\u001b[31m", exitCode: 1, reason: "boom\u001b[0m" },
      { name: "log-router", image: "fluent/fluent-bit:4.2.8", exitCode: 143 },
    ],
  };
  const d = diagnose([task]);

  it("reach the text output escaped, with and without colour", () => {
    for (const color of [false, true]) {
      const out = renderDiagnosisText(d, { color });
      // Colour is the renderer's own ESC; strip exactly picocolors' SGR sequences and nothing else.
      const plain = out.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g"), "");
      expect(controlCharacter(plain)).toBeUndefined();
      expect(out).toContain("\\u001b[2Japp\\u202e");
      expect(out).toContain("task \\u001b]0;owned\\u0007 (service:\\u009b2J)");
      expect(out).toContain("exited\\u000d\\u000aforged line");
    }
  });

  it("reach the JSON output escaped, as the same strings", () => {
    const json = renderDiagnosisJson(d);
    expect(controlCharacter(json)).toBeUndefined();
    expect(json).not.toContain("\u202e");
    const parsed = JSON.parse(json) as {
      tasks: Array<{ group: string; containers: Array<{ name: string }> }>;
    };
    expect(parsed.tasks[0]?.group).toBe("service:\u009b2J");
    expect(parsed.tasks[0]?.containers[0]?.name).toBe("\u001b[2Japp\u202e");
  });
});
