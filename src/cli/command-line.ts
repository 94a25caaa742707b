/** What the CLI needs of commander's errors and usage on every run, kept apart from the error boundary. */
import type { Command, CommanderError } from "commander";

/** A parse error commander raised on one command: the usage line shown is that command's. */
export class CommandLineError extends Error {
  override readonly name = "CommandLineError";
  constructor(
    readonly error: CommanderError,
    readonly command: Command,
  ) {
    super(error.message.replace(/^error: /, ""));
  }
}

/** `firelens-preflight check`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** `firelens-preflight check [options] <inputs...>`. */
export function usageLine(command: Command): string {
  return `${commandPath(command)} ${command.usage()}`;
}
