/**
 * `fix --write`: replace a file's content and nothing else about it. The file keeps its mode, owner and group,
 * a symbolic link keeps pointing at the file it names (the target is what changes), hard links keep sharing
 * one inode, and a reader sees the old content or the new, never a mix.
 *
 * How: the new content goes to a temporary file beside the real one, is flushed to disk (`fsync`) and given
 * the original's owner and mode, then renamed over it, and the directory is flushed so the rename survives a
 * crash. A file with several hard links, or whose owner we cannot give the temporary file, is instead
 * rewritten in place once the temporary copy has proved the content fits on the disk. A read-only file is
 * refused unless forced.
 *
 * The temporary file is removed on every way out: errors, SIGINT/SIGTERM/SIGHUP (handled, then undone), and
 * SIGKILL, which no process can handle: a small detached `sh` holds a pipe from us and removes the temporary
 * file when that pipe closes, which the kernel does when we die. One exception: once an in-place rewrite has
 * begun, the temporary file is the only complete copy, so it is kept if that rewrite does not finish.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, type FileHandle, lstat, open, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InterruptedError, ioReason, OutputError } from "./errors.js";

export interface SafeWriteOptions {
  /** Write a read-only file anyway (its mode is kept). */
  readonly force?: boolean;
}

export interface SafeWriteResult {
  /** The file that was written: the path given, or the file its symbolic links lead to. */
  readonly file: string;
  /** True when the file was rewritten in place (it has hard links, or its owner could not be kept). */
  readonly inPlace: boolean;
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Removes `temp` when this process dies, however it dies. `keep()` once the temporary file has become the only
 * complete copy (while the original is overwritten in place), `release()` once it is gone.
 */
function cleanupGuardian(temp: string): { keep(): void; release(): void } {
  if (process.platform === "win32") return { keep() {}, release() {} };
  // `read` returns at end of input: when we close the pipe, or when the kernel closes it for a killed process.
  const script = 'read word; [ "$word" = keep ] || rm -f -- "$1"';
  const child = spawn("/bin/sh", ["-c", script, "firelens-preflight-cleanup", temp], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  child.on("error", () => {});
  child.stdin?.on("error", () => {});
  child.unref();
  return {
    keep() {
      child.stdin?.end("keep\n");
    },
    release() {
      child.stdin?.end();
    },
  };
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Some platforms and file systems cannot open or flush a directory; the rename itself has happened.
  } finally {
    await handle?.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The file `path` resolves to, refused unless it is a regular file we may write (read-only only with force). */
async function writableTarget(path: string, options: SafeWriteOptions) {
  let file: string;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    file = await realpath(path);
    info = await stat(file);
  } catch (error) {
    throw new OutputError(path, ioReason(error), { cause: error });
  }
  if (!info.isFile()) throw new OutputError(path, "not a regular file");
  const mode = info.mode & 0o7777;
  if ((mode & 0o222) === 0 && options.force !== true) {
    throw new OutputError(
      path,
      `the file is read-only (mode ${mode.toString(8).padStart(4, "0")}); pass --force to write it anyway`,
    );
  }
  try {
    await access(file, constants.W_OK);
  } catch (error) {
    throw new OutputError(path, ioReason(error), { cause: error });
  }
  return { file, info, mode };
}

/** Replaces the content of `path` with `text`, keeping everything else about the file. */
export async function writeFileSafely(
  path: string,
  text: string,
  options: SafeWriteOptions = {},
): Promise<SafeWriteResult> {
  const { file, info, mode } = await writableTarget(path, options);

  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
  };
  const checkpoint = () => {
    if (interrupted !== undefined) throw new InterruptedError(interrupted);
  };
  for (const s of SIGNALS) process.on(s, onSignal);

  const dir = dirname(file);
  const temp = join(
    dir,
    `.${basename(file)}.firelens-preflight-${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  const guardian = cleanupGuardian(temp);
  let inPlace = info.nlink > 1;
  let keepTemp = false;
  try {
    const data = Buffer.from(text, "utf8");
    let handle: FileHandle;
    try {
      handle = await open(temp, "wx", 0o600);
    } catch (error) {
      throw new OutputError(path, `cannot create a temporary file in ${dir}: ${ioReason(error)}`, {
        cause: error,
      });
    }
    try {
      await handle.writeFile(data);
      await handle.sync();
      if (!inPlace) {
        try {
          await handle.chown(info.uid, info.gid);
        } catch {
          // Only root may give a file away; a user writing a group-writable file of someone else's keeps
          // its owner by writing in place instead.
          const mine = await handle.stat();
          if (mine.uid !== info.uid || mine.gid !== info.gid) inPlace = true;
        }
      }
      await handle.chmod(mode);
    } catch (error) {
      throw new OutputError(path, ioReason(error), { cause: error });
    } finally {
      await handle.close();
    }
    checkpoint();

    if (!inPlace) {
      try {
        await rename(temp, file);
      } catch (error) {
        throw new OutputError(path, ioReason(error), { cause: error });
      }
      await syncDirectory(dir);
      return { file, inPlace };
    }

    // In place: the content is known to be right (the temporary copy was written and flushed); now overwrite
    // the original inode, so every hard link and the owner stay as they are. This is the one step that is not
    // atomic: should it fail or be killed half way, the temporary file is kept as the complete new content.
    let target: FileHandle;
    try {
      target = await open(file, "r+");
    } catch (error) {
      throw new OutputError(path, ioReason(error), { cause: error });
    }
    guardian.keep();
    try {
      await target.write(data, 0, data.length, 0);
      await target.truncate(data.length);
      await target.sync();
    } catch (error) {
      keepTemp = true;
      throw new OutputError(
        path,
        `${ioReason(error)}; the file may be partly rewritten, and ${temp} holds its complete new content`,
        {
          cause: error,
        },
      );
    } finally {
      await target.close();
    }
    return { file, inPlace };
  } finally {
    if (!keepTemp && (await exists(temp))) {
      await unlink(temp).catch(() => {});
      await syncDirectory(dir);
    }
    guardian.release();
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}
