/** `rehearse`: its flags and help; the work is loaded only when it runs. */
import { type Command, Option } from "commander";
import type { RehearseCommandOptions } from "../commands/rehearse.js";
import type { Streams } from "../io.js";
import { addFormatOption, addMaxSizeOption, addOutputOption, collect } from "../options.js";

export const FORMATS = ["text", "json"] as const;

export function registerRehearse(
  program: Command,
  setExit: (code: number) => void,
  streams: Streams,
): Command {
  const command = program
    .command("rehearse")
    .summary("run the task's own router, configured as ECS would, through its first flush before deploying")
    .description(
      "Run the task's router image under Docker or Podman with the fluent-bit.conf the ECS agent would generate " +
        "for it, every destination on this machine (a fake Datadog intake, local sinks), then the project's probe " +
        "as the task's gate would run it, then a shake-down: one chunk of mixed record shapes per gated app and " +
        "--soak of app-shaped traffic. Reports whether the router survived, or how it died, with its log.",
    )
    .argument("<file>", "task definition file (any format the CLI reads); - reads stdin")
    .option("--task <id>", "the task definition to rehearse when the file has several")
    .addOption(
      new Option(
        "--engine <engine>",
        "container engine (default: podman or docker, whichever answers)",
      ).choices(["docker", "podman"]),
    )
    .addOption(
      new Option("--pull <policy>", "when to pull images")
        .choices(["missing", "always", "never"])
        .default("missing"),
    )
    .option("--router-image <image>", "run this image instead of the router's own")
    .option(
      "--probe-image <image>",
      "image of the probe and the sidecar (default: the one `npm run image` builds)",
    )
    .option(
      "--secret <name=value>",
      "a secret for the router: NAME=VALUE or NAME=env:VAR (repeatable; never printed)",
      collect,
    )
    .option(
      "--config-file <path>",
      "the file a config-file-type s3 router loads (rehearse does not fetch from S3)",
    )
    .option("--soak <duration>", "app-shaped traffic after the stress chunk (e.g. 10s, 1m)", "10s")
    .option("--gate-only", "run the gate and stop: no shake-down")
    .option("--real-destinations", "let outputs rehearse cannot redirect reach their real destination")
    .option("--deadline <duration>", "the probe's deadline, unless the task's gate sets one", "30s")
    .addOption(
      new Option("--intake-status <status>", "status the fake Datadog intake answers")
        .default("202")
        .hideHelp(),
    );
  addFormatOption(command, FORMATS, "text");
  addOutputOption(command);
  addMaxSizeOption(command)
    .addHelpText(
      "after",
      "\nExit codes (the probe's): 0 the router survived, 1 it failed or crashed, 2 bad configuration or no " +
        "engine/image, 3 the router never became reachable, 130 interrupted.\n\n" +
        "Examples:\n" +
        "  firelens-preflight rehearse task-definition.json\n" +
        "  firelens-preflight rehearse task-definition.json --secret apikey=env:DD_API_KEY --soak 30s\n" +
        "  firelens-preflight rehearse template.yaml --task TaskDef --router-image my/fluent-bit:test -f json",
    )
    .action(async (file: string, opts: RehearseCommandOptions) => {
      const { runRehearse } = await import("../commands/rehearse.js");
      setExit(await runRehearse(file, opts, streams));
    });
  return command;
}
