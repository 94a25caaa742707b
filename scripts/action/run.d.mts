/** What scripts/action/run.mjs exports (its tests import it): the `rehearse` command lines the action runs. */
export function rehearseCommands(
  inputs: {
    readonly rehearse?: string;
    readonly "rehearse-task-definition"?: string;
    readonly "probe-image"?: string;
    readonly paths?: string;
  },
  isFile?: (path: string) => boolean,
):
  | { readonly commands: string[][]; readonly error?: undefined }
  | { readonly error: string; readonly commands?: undefined };
