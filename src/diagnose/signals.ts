/**
 * Reading exit codes and reasons the way ECS and Docker write them: 128 + signal number for a process
 * killed by a signal (the shell convention, https://www.gnu.org/software/bash/manual/html_node/Exit-Status.html);
 * `OutOfMemoryError` and `CannotStartContainerError` in the container `reason`
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-start-container.html).
 */
import { PROBE_EXIT } from "../probe/contract.js";

const SIGNALS: Readonly<Record<number, string>> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  4: "SIGILL",
  5: "SIGTRAP",
  6: "SIGABRT",
  7: "SIGBUS",
  8: "SIGFPE",
  9: "SIGKILL",
  11: "SIGSEGV",
  13: "SIGPIPE",
  15: "SIGTERM",
};

/** `SIGSEGV` for 139; `undefined` for codes that are not 128 + a signal we name. */
export function signalOf(exitCode: number): string | undefined {
  return exitCode > 128 && exitCode < 160 ? SIGNALS[exitCode - 128] : undefined;
}

/** 139 (SIGSEGV) and 134 (SIGABRT): how a crashing Fluent Bit ends. */
export function isCrashSignature(exitCode: number | undefined): boolean {
  // Seen on Fluent Bit 1.8.3, 1.9.10 and 4.2.8: test/fixtures/fluent-bit/README.md, item 11.
  return exitCode === 139 || exitCode === 134;
}

/** `139 (SIGSEGV)`, `1`. */
export function formatExit(exitCode: number): string {
  const sig = signalOf(exitCode);
  return sig === undefined ? String(exitCode) : `${exitCode} (${sig})`;
}

export function isOutOfMemory(reason: string | undefined): boolean {
  return reason !== undefined && /OutOfMemory/i.test(reason);
}

/**
 * The agent's terminal-dependency stop (amazon-ecs-agent PR #3218): exit 143 synthesised without a
 * SIGTERM, reason `CannotStartContainerError: dependency graph: …`. Matched on the error name, and on
 * the dependency wording alone in case a platform words the prefix differently.
 */
export function isDependencyStop(exitCode: number | undefined, reason: string | undefined): boolean {
  if (reason === undefined) return false;
  if (/CannotStartContainerError/i.test(reason)) return exitCode === undefined || exitCode === 143;
  return /dependency graph|container ordering dependency/i.test(reason);
}

/** Reasons ECS gives containers that never started (image pull, secrets, ENI, resource setup). */
export function isStartFailure(reason: string | undefined): boolean {
  return (
    reason !== undefined &&
    /CannotPullContainerError|ResourceInitializationError|CannotCreateContainerError|CannotInspectContainerError|ContainerRuntimeError|InternalError|TaskFailedToStart/i.test(
      reason,
    ) &&
    !/CannotStartContainerError/i.test(reason)
  );
}

/** What a preflight exit code means: 0 verified, 1 verification failed, 2 bad configuration, 3 unreachable. */
export function preflightExitMeaning(exitCode: number): string {
  // The probe's own exit codes, from its contract (src/probe/contract.ts).
  switch (exitCode) {
    case PROBE_EXIT.verified:
      return "log path verified";
    case PROBE_EXIT.failed:
      return "verification failed";
    case PROBE_EXIT.badConfiguration:
      return "bad probe configuration";
    case PROBE_EXIT.unreachable:
      return "the router never became reachable";
    default: {
      const sig = signalOf(exitCode);
      return sig === undefined ? "non-zero exit" : `killed by ${sig}`;
    }
  }
}

/**
 * The probe prints one JSON result line (`{"level": …, "reason": …}`); whatever of it reaches the
 * container `reason` (a wrapper script, an entrypoint that copies its last line) is read here. Plain text
 * is taken as it is.
 */
export function probeReasonOf(reason: string | undefined): { reason: string; level?: string } | undefined {
  if (reason === undefined) return undefined;
  const text = reason.trim();
  if (text === "" || isDependencyStop(undefined, text)) return undefined;
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start >= 0 && end > start) {
    try {
      const parsed: unknown = JSON.parse(text.slice(start, end + 1));
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
        const o = parsed as Record<string, unknown>;
        if (typeof o.reason === "string" && o.reason !== "") {
          return typeof o.level === "string" ? { reason: o.reason, level: o.level } : { reason: o.reason };
        }
      }
    } catch {
      // Not JSON after all: fall back to the text.
    }
  }
  return { reason: text.length > 300 ? `${text.slice(0, 297)}…` : text };
}
