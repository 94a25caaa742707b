import { writeFile } from "node:fs/promises";
import pc from "picocolors";

export interface Streams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const processStreams: Streams = { stdout: process.stdout, stderr: process.stderr };

/** Colors only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(stream: { isTTY?: boolean }, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith("\n") || text === "" ? text : `${text}\n`);
}

export async function writeOutput(path: string | undefined, text: string, streams: Streams): Promise<void> {
  if (path === undefined || path === "-") write(streams.stdout, text);
  else await writeFile(path, text);
}

export function errorLine(message: string, color: boolean): string {
  return `${color ? pc.red("error") : "error"}: ${message}`;
}
