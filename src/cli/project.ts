/**
 * The project a run belongs to: its config file (found from the working directory, named by `--config`, or
 * none with `--no-config`) merged with the command line. Flags override or add to the config: `--fail-on`
 * replaces `failOn`, `--disable` and `--suppress` add to the config's lists, so a CI step can tighten a run
 * without copying the config.
 */
import {
  type ConfigSuppression,
  configKeyError,
  excludedBy,
  findConfig,
  type LoadedConfig,
  loadConfigFile,
  locateConfigKey,
  suppressionCovers,
} from "../config/index.js";
import {
  type FailOn,
  type Finding,
  formatMessage,
  type LintFileResult,
  ruleById,
  rules,
  type Severity,
  type Suppression,
  unusedSuppressions,
} from "../rules/index.js";
import { UsageError } from "./errors.js";
import { type Selection, selectIncluded, selectInputs, shownPath } from "./walk.js";

export interface ConfigFlags {
  /** `--config <file>`: a string; `--no-config`: false; neither: undefined (search). */
  readonly config?: string | false;
}

/** The config that applies to this run, or `undefined`. */
export function projectConfig(flags: ConfigFlags, cwd = process.cwd()): LoadedConfig | undefined {
  if (flags.config === false) return undefined;
  if (typeof flags.config === "string") return loadConfigFile(flags.config);
  return findConfig(cwd);
}

/** A config `suppress` entry, checked, with the files it covers. */
export interface ConfigSuppressionEntry {
  readonly index: number;
  readonly suppression: Suppression;
  readonly covers: (file: string | undefined) => boolean;
}

/** Everything the rules need from the config and the command line together. */
export interface LintSettings {
  readonly config?: LoadedConfig;
  readonly disable: readonly string[];
  readonly severity: Readonly<Record<string, Severity>>;
  /** `--suppress`: every file. */
  readonly suppressions: readonly Suppression[];
  readonly configSuppressions: readonly ConfigSuppressionEntry[];
  /**
   * Whether config suppressions that hid nothing are reported. Only a run over the config's own `include`
   * reads every file a suppression may cover; a run over a few files (a pre-commit hook) would call the
   * others unused.
   */
  readonly judgeUnused: boolean;
}

const KNOWN = new Set(rules.map((r) => r.meta.id));

/** Rule ids in the config that name no rule: a located config error, as a typo in a key is. */
function checkRuleIds(loaded: LoadedConfig): void {
  const { config } = loaded;
  const unknown = (id: string) => !KNOWN.has(id);
  const hint = "names no rule (run `firelens-preflight lint --list-rules`)";
  config.rules?.disable?.forEach((id, i) => {
    if (unknown(id)) throw configKeyError(loaded, ["rules", "disable", i], `${id} ${hint}`);
  });
  for (const id of Object.keys(config.rules?.severity ?? {})) {
    if (unknown(id)) throw configKeyError(loaded, ["rules", "severity", id], `${id} ${hint}`);
  }
  config.suppress?.forEach((s, i) => {
    if (unknown(s.id)) throw configKeyError(loaded, ["suppress", i, "id"], `${s.id} ${hint}`);
  });
}

function toSuppression(s: ConfigSuppression): Suppression {
  return { id: s.id, reason: s.reason, ...(s.containers === undefined ? {} : { appliesTo: s.containers }) };
}

export function lintSettings(
  config: LoadedConfig | undefined,
  flags: { disable: readonly string[]; suppressions: readonly Suppression[] },
  judgeUnused: boolean,
): LintSettings {
  if (config !== undefined) checkRuleIds(config);
  const own = config?.config;
  return {
    config,
    disable: [...(own?.rules?.disable ?? []), ...flags.disable],
    severity: own?.rules?.severity ?? {},
    suppressions: flags.suppressions,
    configSuppressions:
      config === undefined
        ? []
        : (own?.suppress ?? []).map((s, index) => ({
            index,
            suppression: toSuppression(s),
            covers: suppressionCovers(config, s),
          })),
    judgeUnused,
  };
}

/** The suppressions that apply to one file (`undefined`: stdin): the command line's, then the config's. */
export function suppressionsFor(settings: LintSettings, file: string | undefined): Suppression[] {
  return [
    ...settings.suppressions,
    ...settings.configSuppressions.filter((e) => e.covers(file)).map((e) => e.suppression),
  ];
}

/** `--fail-on` when given, else the config's `failOn`, else `error`. */
export function failOnOf(flag: FailOn | undefined, config: LoadedConfig | undefined): FailOn {
  return flag ?? config?.config.failOn ?? "error";
}

/**
 * The files of a run: the command line's when it names any, else the config's `include`. The config's
 * `exclude` applies to both.
 */
export async function selectFiles(
  args: readonly string[],
  config: LoadedConfig | undefined,
  command: string,
): Promise<{ selection: Selection; fromInclude: boolean }> {
  const excluded = config === undefined ? undefined : excludedBy(config);
  if (args.length > 0) return { selection: await selectInputs(args, { excluded }), fromInclude: false };
  const include = config?.config.include;
  if (config === undefined || include === undefined || include.length === 0) {
    throw new UsageError(
      `${command} needs at least one file, directory or glob (- for stdin), or include globs in a config file`,
    );
  }
  const selection = await selectIncluded(include, config.directory, { excluded });
  if (selection.files.length === 0 && selection.skipped.length === 0) {
    throw new UsageError(`include in ${shownPath(config.file)} matches no files`);
  }
  return { selection, fromInclude: true };
}

/**
 * FLP302 for config suppressions that acknowledged nothing in the files they cover, located at their entry
 * in the config file, as the engine reports inline ones. One result for the config file, or none.
 */
export function unusedConfigSuppressions(
  settings: LintSettings,
  results: readonly LintFileResult[],
): LintFileResult | undefined {
  const config = settings.config;
  const rule = ruleById("FLP302");
  if (!settings.judgeUnused || config === undefined || rule === undefined) return undefined;
  if (settings.disable.some((d) => d.toUpperCase() === "FLP302")) return undefined;
  const file = shownPath(config.file);
  const findings: Finding[] = [];
  for (const entry of settings.configSuppressions) {
    const covered = results
      .filter((r) => r.error === undefined && entry.covers(r.file))
      .flatMap((r) => r.findings);
    if (unusedSuppressions([entry.suppression], covered).length === 0) continue;
    const s = entry.suppression;
    const at = locateConfigKey(config, ["suppress", entry.index]);
    const data = {
      rule: s.id,
      containers: s.appliesTo === undefined ? "" : `[${s.appliesTo.join(",")}]`,
      reason: s.reason,
    };
    findings.push({
      ruleId: rule.meta.id,
      severity: rule.meta.messageSeverities?.unused ?? "note",
      title: rule.meta.title,
      message: formatMessage(rule.meta.messages.unused ?? "", data),
      messageId: "unused",
      taskDefinition: "(config)",
      location: { file, ...at },
      jsonPath: `$.suppress[${entry.index}]`,
      rawPath: ["suppress", entry.index],
      fixHint: `Delete entry ${entry.index} of suppress in ${file}, or correct its id, containers or files.`,
    });
  }
  return findings.length === 0 ? undefined : { file, text: config.text, format: "config", findings };
}
