/**
 * Fluent forward protocol client (the protocol of Fluent Bit's in_forward), over node:net.
 *
 * The connection stays open for the whole run on purpose: a router that dies closes every socket it holds,
 * so the probe learns of a crash the moment it happens instead of at its next poll.
 */
import net from "node:net";
import { decodeMultiStream, encode } from "@msgpack/msgpack";
import type { ForwardTarget } from "./config.js";

export type FluentRecord = Readonly<Record<string, string | number | boolean>>;
/** One entry: integer seconds since the epoch and the record. */
export type FluentEntry = readonly [time: number, record: FluentRecord];

/**
 * Event time as integer seconds: every in_forward since 1.x accepts it, and it is what the recordings were
 * made with. (EventTime, ext type 0, would carry nanoseconds the probe has no use for.)
 */
export function eventTime(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000);
}

/**
 * A 128-bit chunk id, base64 as the forward protocol spec writes it. It only has to be unique on its
 * connection, so Math.random serves: loading node:crypto would cost the probe ~2 MB of RSS for nothing.
 */
export function newChunkId(): string {
  return Buffer.from(randomBytes(16)).toString("base64");
}

/** Non-cryptographic random bytes, for identifiers. */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

/** Forward mode: `[tag, [[time, record], …], {chunk}]`. With a chunk id the router answers `{ack: chunk}`. */
export function encodeForward(tag: string, entries: readonly FluentEntry[], chunk?: string): Uint8Array {
  const frame: unknown[] = [tag, entries.map(([t, r]) => [t, r])];
  if (chunk !== undefined) frame.push({ chunk });
  return encode(frame);
}

/** Message mode: `[tag, time, record, {chunk}?]`, one record per message. */
export function encodeMessage(tag: string, entry: FluentEntry, chunk?: string): Uint8Array {
  const frame: unknown[] = [tag, entry[0], entry[1]];
  if (chunk !== undefined) frame.push({ chunk });
  return encode(frame);
}

/** The chunk id of an `{ack: id}` reply, or null for anything else. */
export function ackOf(message: unknown): string | null {
  if (message === null || typeof message !== "object" || Array.isArray(message)) return null;
  const ack = (message as Record<string, unknown>).ack;
  return typeof ack === "string" ? ack : null;
}

export class ForwardClosedError extends Error {
  override readonly name = "ForwardClosedError";
  constructor(
    message: string,
    /** errno code (ECONNRESET, EPIPE …) when the socket failed, null for a clean close by the router. */
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** An open forward connection. */
export class ForwardConnection {
  private readonly pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly acked = new Set<string>();
  private closedBy: ForwardClosedError | null = null;
  private closingByUs = false;
  private readonly closeListeners: ((e: ForwardClosedError) => void)[] = [];
  private readonly ackListeners: ((chunk: string) => void)[] = [];

  constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    let lastError: NodeJS.ErrnoException | null = null;
    socket.on("error", (e: NodeJS.ErrnoException) => {
      lastError = e;
    });
    // The router writes nothing but acks, so a peer FIN is the router letting go of us: treat it as closed.
    socket.on("end", () => {
      if (!this.closingByUs) socket.destroy();
    });
    socket.on("close", () => {
      if (this.closingByUs) return;
      const code = lastError?.code ?? null;
      this.fail(
        new ForwardClosedError(
          code === null
            ? "the router closed the forward connection"
            : `the forward connection failed (${code})`,
          code,
        ),
      );
    });
    void this.readAcks();
  }

  private async readAcks(): Promise<void> {
    try {
      for await (const message of decodeMultiStream(this.socket)) {
        const chunk = ackOf(message);
        if (chunk === null) continue;
        this.acked.add(chunk);
        this.pending.get(chunk)?.resolve();
        this.pending.delete(chunk);
        for (const l of this.ackListeners) l(chunk);
      }
    } catch {
      // A garbled reply or a reset: the close handler reports the connection's end.
    }
  }

  private fail(err: ForwardClosedError): void {
    if (this.closedBy !== null) return;
    this.closedBy = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const l of this.closeListeners) l(err);
  }

  /** Why the router closed the connection, or null while it is open (or after we closed it). */
  get closedError(): ForwardClosedError | null {
    return this.closedBy;
  }

  get isOpen(): boolean {
    return this.closedBy === null && !this.closingByUs && !this.socket.destroyed;
  }

  onClose(listener: (e: ForwardClosedError) => void): void {
    if (this.closedBy !== null) listener(this.closedBy);
    else this.closeListeners.push(listener);
  }

  onAck(listener: (chunk: string) => void): void {
    this.ackListeners.push(listener);
  }

  /** Writes one frame; resolves once it is handed to the kernel. */
  write(frame: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closedBy !== null) {
        reject(this.closedBy);
        return;
      }
      this.socket.write(frame, (err) => {
        if (err) reject(this.closedBy ?? new ForwardClosedError(`write failed: ${err.message}`, null));
        else resolve();
      });
    });
  }

  /** Resolves when the router acks `chunk`; rejects when the connection closes first. */
  waitAck(chunk: string): Promise<void> {
    if (this.acked.has(chunk)) return Promise.resolve();
    if (this.closedBy !== null) return Promise.reject(this.closedBy);
    return new Promise((resolve, reject) => {
      this.pending.set(chunk, { resolve, reject });
    });
  }

  /** Sends a Forward-mode frame with a fresh chunk id and returns the id. */
  async sendForward(tag: string, entries: readonly FluentEntry[]): Promise<string> {
    const chunk = newChunkId();
    await this.write(encodeForward(tag, entries, chunk));
    return chunk;
  }

  /** Our own, orderly close: never reported as the router going away. */
  close(): void {
    this.closingByUs = true;
    for (const p of this.pending.values()) p.reject(new ForwardClosedError("closed by the probe", null));
    this.pending.clear();
    this.socket.end();
    // Do not linger in FIN_WAIT on a router that no longer reads.
    setTimeout(() => this.socket.destroy(), 200).unref();
  }
}

/** One connection attempt; rejects with the errno code (ECONNREFUSED, ENOENT, ETIMEDOUT …). */
export function connectOnce(target: ForwardTarget, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      target.kind === "unix"
        ? net.connect({ path: target.path })
        : net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error("connect timed out"), { code: "ETIMEDOUT" }));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    });
  });
}

export interface ConnectRetryOptions {
  readonly signal: AbortSignal;
  /** Pause between attempts. */
  readonly intervalMs: number;
  readonly attemptTimeoutMs: number;
  readonly onAttemptFailed?: (code: string) => void;
}

/** Connects, retrying until it succeeds or `signal` aborts (then rejects with the signal's reason). */
export async function connectWithRetry(
  target: ForwardTarget,
  options: ConnectRetryOptions,
): Promise<ForwardConnection> {
  for (;;) {
    options.signal.throwIfAborted();
    try {
      const socket = await raceAbort(connectOnce(target, options.attemptTimeoutMs), options.signal, (s) =>
        s.destroy(),
      );
      return new ForwardConnection(socket);
    } catch (err) {
      if (options.signal.aborted) throw options.signal.reason;
      options.onAttemptFailed?.(errnoCode(err));
      await sleep(options.intervalMs, options.signal);
    }
  }
}

/** Whether the forward port accepts a fresh connection right now (closed again at once). */
export async function canConnect(
  target: ForwardTarget,
  timeoutMs: number,
): Promise<{ ok: boolean; code: string | null }> {
  try {
    const s = await connectOnce(target, timeoutMs);
    s.destroy();
    return { ok: true, code: null };
  } catch (err) {
    return { ok: false, code: errnoCode(err) };
  }
}

export function errnoCode(err: unknown): string {
  if (err !== null && typeof err === "object" && "code" in err && typeof err.code === "string")
    return err.code;
  return err instanceof Error ? err.message : String(err);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Settles with `p`, or rejects with the abort reason; a value that arrives after the abort is disposed. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal, dispose?: (v: T) => void): Promise<T> {
  if (signal.aborted) {
    p.then((v) => dispose?.(v)).catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      p.then((v) => dispose?.(v)).catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) dispose?.(v);
        else resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
