/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (fd 3 in, fd 4 out, messages
 * separated by NUL): enough to load a page in Debian's headless chromium, collect console errors, evaluate
 * expressions and take a screenshot, without a browser-driver dependency.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Whether browser tests run: always under CI (so that a missing browser fails them there), elsewhere when
 * chromium is installed.
 */
export function browserTestsRun(): boolean {
  return chromiumAvailable() || process.env.CI !== undefined;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export interface Page {
  /** Console errors, uncaught exceptions and error log entries seen so far. */
  readonly errors: string[];
  goto(url: string): Promise<void>;
  /** The value of `expression`, awaited when it is a promise; throws what the page threw. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the page, down to the bottom of the first element matching `until` when given. */
  screenshot(until?: string): Promise<Buffer>;
}

export interface OpenPage {
  readonly page: Page;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** One page in a fresh headless chromium, for `fn`; the browser is closed afterwards, whatever happens. */
export async function withPage<T>(fn: (page: Page) => Promise<T>, width = 1280): Promise<T> {
  const { page, close } = await openPage(width);
  try {
    return await fn(page);
  } finally {
    await close();
  }
}

/** A page in a fresh headless chromium that stays open until `close` (for a `beforeAll`/`afterAll` pair). */
export async function openPage(width = 1280): Promise<OpenPage> {
  if (!chromiumAvailable()) {
    throw new Error(`no chromium at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
  }
  const profile = mkdtempSync(join(tmpdir(), "flp-chromium-"));
  const proc: ChildProcess = spawn(
    CHROMIUM,
    [
      "--headless=new",
      "--remote-debugging-pipe",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      `--user-data-dir=${profile}`,
      `--window-size=${width},900`,
    ],
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
  );
  const toBrowser = proc.stdio[3] as Writable;
  const fromBrowser = proc.stdio[4] as Readable;
  // A browser that died makes writes fail with EPIPE; `exited` reports it, so the write error is not news.
  toBrowser.on("error", () => undefined);
  let nextId = 1;
  const waiting = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let buffer = "";
  fromBrowser.setEncoding("utf8");
  fromBrowser.on("data", (chunk: string) => {
    buffer += chunk;
    let cut = buffer.indexOf("\0");
    while (cut >= 0) {
      const msg = JSON.parse(buffer.slice(0, cut)) as Message;
      buffer = buffer.slice(cut + 1);
      cut = buffer.indexOf("\0");
      if (msg.id !== undefined && waiting.has(msg.id)) {
        const w = waiting.get(msg.id);
        waiting.delete(msg.id);
        if (msg.error) w?.reject(new Error(msg.error.message));
        else w?.resolve(msg);
      } else {
        for (const l of listeners) l(msg);
      }
    }
  });
  const exited = new Promise<never>((_, reject) => {
    proc.on("exit", (code) => reject(new Error(`chromium exited (${code})`)));
    proc.on("error", reject);
  });
  exited.catch(() => undefined);
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    Promise.race([
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
        toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      }),
      exited,
    ]);

  const close = async (): Promise<void> => {
    try {
      toBrowser.write(`${JSON.stringify({ id: nextId++, method: "Browser.close", params: {} })}\0`);
    } catch {
      // already gone
    }
    const gone = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once("exit", () => resolve());
    });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
    await gone;
    clearTimeout(timer);
    // Chromium's helper processes may still be writing to the profile for a moment.
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  try {
    const { targetId } = (await send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
    const { sessionId } = (await send("Target.attachToTarget", { targetId, flatten: true })) as {
      sessionId: string;
    };
    const errors: string[] = [];
    listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "assert")) {
        errors.push(`console.${String(p.type)}: ${JSON.stringify(p.args)}`);
      } else if (m.method === "Runtime.exceptionThrown") {
        errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
      } else if (m.method === "Log.entryAdded") {
        const entry = p.entry as { level?: string; text?: string; url?: string } | undefined;
        if (entry?.level === "error") errors.push(`log: ${entry.text ?? ""} ${entry.url ?? ""}`);
      }
    });
    await send("Runtime.enable", {}, sessionId);
    await send("Log.enable", {}, sessionId);
    await send("Page.enable", {}, sessionId);
    const page: Page = {
      errors,
      async goto(url) {
        const loaded = new Promise<void>((resolve) => {
          listeners.push((m) => {
            if (m.sessionId === sessionId && m.method === "Page.loadEventFired") resolve();
          });
        });
        await send("Page.navigate", { url }, sessionId);
        await Promise.race([loaded, exited]);
      },
      async evaluate<R>(expression: string) {
        const r = (await send(
          "Runtime.evaluate",
          { expression, returnByValue: true, awaitPromise: true },
          sessionId,
        )) as {
          result?: { value?: unknown };
          exceptionDetails?: unknown;
        };
        if (r.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(r.exceptionDetails)}`);
        return r.result?.value as R;
      },
      async screenshot(until?: string) {
        const metrics = (await send("Page.getLayoutMetrics", {}, sessionId)) as {
          cssContentSize?: { width: number; height: number };
        };
        const size = metrics.cssContentSize ?? { width, height: 900 };
        let height = size.height;
        if (until !== undefined) {
          const bottom = await page.evaluate<number | null>(
            `(() => { const e = document.querySelector(${JSON.stringify(until)}); return e ? e.getBoundingClientRect().bottom + window.scrollY + 12 : null; })()`,
          );
          if (bottom !== null) height = Math.min(height, bottom);
        }
        const r = (await send(
          "Page.captureScreenshot",
          {
            format: "png",
            captureBeyondViewport: true,
            clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(height), scale: 1 },
          },
          sessionId,
        )) as { data: string };
        return Buffer.from(r.data, "base64");
      },
    };
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}
