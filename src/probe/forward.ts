/**
 * Fluent forward protocol client (the protocol of Fluent Bit's in_forward), over node:net.
 *
 * The connection stays open for the whole run on purpose: a router that dies closes every socket it holds,
 * so the probe learns of a crash the moment it happens instead of at its next poll.
 */
import net from "node:net";
import { encode } from "@msgpack/msgpack";
import type { ForwardTarget } from "./config.js";
import { MAX_FORWARD_REPLY_BYTES } from "./contract.js";

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
    /**
     * errno code (ECONNRESET, EPIPE …) when the socket failed, EPROTO when the peer broke the protocol (the probe
     * hung up), null for a clean close by the router.
     */
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** `msgpackValueLength` when the buffer ends before the value does. */
export const INCOMPLETE = -1;
/** `msgpackValueLength` for a byte that starts no msgpack value (0xc1). */
export const INVALID = -2;

/** Bytes of a header (after its type byte) that give a length, and what that length counts. */
const SIZED: Readonly<
  Record<number, readonly [lengthBytes: 1 | 2 | 4, counts: "bytes" | "items" | "pairs"]>
> = {
  196: [1, "bytes"],
  197: [2, "bytes"],
  198: [4, "bytes"],
  217: [1, "bytes"],
  218: [2, "bytes"],
  219: [4, "bytes"],
  220: [2, "items"],
  221: [4, "items"],
  222: [2, "pairs"],
  223: [4, "pairs"],
};
/** Fixed-size values: bytes after the type byte (floats, ints, fixext with its type byte). */
const FIXED: Readonly<Record<number, number>> = {
  192: 0,
  194: 0,
  195: 0,
  202: 4,
  203: 8,
  204: 1,
  205: 2,
  206: 4,
  207: 8,
  208: 1,
  209: 2,
  210: 4,
  211: 8,
  212: 2,
  213: 3,
  214: 5,
  215: 9,
  216: 17,
};
/** ext8/16/32: length bytes; the type byte follows them. */
const EXT: Readonly<Record<number, 1 | 2 | 4>> = { 199: 1, 200: 2, 201: 4 };

function readLength(buf: Uint8Array, at: number, size: 1 | 2 | 4): number {
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + (buf[at + i] ?? 0);
  return n;
}

/**
 * Byte length of the first complete msgpack value in `buf`, INCOMPLETE when `buf` ends first, INVALID for a byte
 * that starts no value. It walks the bytes keeping only a count of items still owed, without recursing or
 * building anything: a hostile header such as `0xdd ffffffff` (an array of 2^32 items) costs nothing until its
 * items arrive, and every item costs at least one byte, so the walk is linear in what was received.
 */
export function msgpackValueLength(buf: Uint8Array): number {
  let pos = 0;
  let owed = 1;
  while (owed > 0) {
    const type = buf[pos];
    if (type === undefined) return INCOMPLETE;
    owed--;
    let head = 1;
    let body = 0;
    if (type <= 0x7f || type >= 0xe0) {
      // positive or negative fixint
    } else if (type <= 0x8f) owed += (type & 0x0f) * 2;
    else if (type <= 0x9f) owed += type & 0x0f;
    else if (type <= 0xbf) body = type & 0x1f;
    else if (FIXED[type] !== undefined) body = FIXED[type];
    else if (EXT[type] !== undefined) {
      const size = EXT[type];
      head = 2 + size;
      if (pos + head > buf.length) return INCOMPLETE;
      body = readLength(buf, pos + 1, size);
    } else {
      const sized = SIZED[type];
      if (sized === undefined) return INVALID;
      const [size, counts] = sized;
      head = 1 + size;
      if (pos + head > buf.length) return INCOMPLETE;
      const n = readLength(buf, pos + 1, size);
      if (counts === "bytes") body = n;
      else owed += counts === "items" ? n : 2 * n;
    }
    pos += head + body;
  }
  return pos <= buf.length ? pos : INCOMPLETE;
}

/** Where a msgpack string starts and how long it is, or null when the value at `at` is not a string. */
function stringAt(buf: Uint8Array, at: number): { start: number; length: number } | null {
  const type = buf[at];
  if (type === undefined) return null;
  if (type >= 0xa0 && type <= 0xbf) return { start: at + 1, length: type & 0x1f };
  const size = type === 0xd9 ? 1 : type === 0xda ? 2 : type === 0xdb ? 4 : 0;
  if (size === 0) return null;
  return { start: at + 1 + size, length: readLength(buf, at + 1, size) };
}

/**
 * The chunk id of a reply that is one complete msgpack value: a map whose "ack" key holds a string, as
 * in_forward writes `{"ack": id}`; null for any other value. Read in place, so the probe needs no msgpack decoder.
 */
export function readAck(reply: Uint8Array): string | null {
  const type = reply[0];
  if (type === undefined) return null;
  let pairs: number;
  let at: number;
  if (type >= 0x80 && type <= 0x8f) [pairs, at] = [type & 0x0f, 1];
  else if (type === 0xde) [pairs, at] = [readLength(reply, 1, 2), 3];
  else if (type === 0xdf) [pairs, at] = [readLength(reply, 1, 4), 5];
  else return null;
  const text = (s: { start: number; length: number }) =>
    Buffer.from(reply.buffer, reply.byteOffset + s.start, s.length).toString("utf8");
  for (let i = 0; i < pairs && at < reply.length; i++) {
    const key = stringAt(reply, at);
    const keyLength = msgpackValueLength(reply.subarray(at));
    if (keyLength < 0) return null;
    at += keyLength;
    const value = stringAt(reply, at);
    if (key !== null && value !== null && text(key) === "ack") return text(value);
    const valueLength = msgpackValueLength(reply.subarray(at));
    if (valueLength < 0) return null;
    at += valueLength;
  }
  return null;
}

/** An open forward connection. */
export class ForwardConnection {
  private readonly pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly acked = new Set<string>();
  private closedBy: ForwardClosedError | null = null;
  private closingByUs = false;
  private readonly closeListeners: ((e: ForwardClosedError) => void)[] = [];
  private readonly ackListeners: ((chunk: string) => void)[] = [];
  /** Reply bytes received and not yet a complete value; never more than MAX_FORWARD_REPLY_BYTES. */
  private replyBytes: Buffer = Buffer.alloc(0);

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
    socket.on("data", (d: Buffer) => this.onReplyBytes(d));
  }

  // Recorded: test/fixtures/fluent-bit/README.md item 7.
  /**
   * The router's only replies are acks, `{"ack": id}` of a few dozen bytes (as recorded on real Fluent Bit).
   * Anything else, or more than MAX_FORWARD_REPLY_BYTES that never completes a value, is a peer that is
   * not a Fluent Bit forward input: the probe hangs up with a protocol error instead of buffering it (a
   * decoder that waits for the rest of `0xdd ffffffff` followed by endless nils grows without bound).
   */
  private onReplyBytes(data: Buffer): void {
    if (this.closedBy !== null || this.closingByUs) return;
    this.replyBytes = this.replyBytes.length === 0 ? data : Buffer.concat([this.replyBytes, data]);
    for (;;) {
      const n = msgpackValueLength(this.replyBytes);
      if (n === INCOMPLETE) break;
      const problem =
        n === INVALID
          ? "a byte that starts no msgpack value"
          : n > MAX_FORWARD_REPLY_BYTES
            ? `a reply of ${n} bytes`
            : null;
      const chunk = problem === null ? readAck(this.replyBytes.subarray(0, n)) : null;
      if (chunk === null) {
        this.protocolError(problem ?? "a reply that is not an ack");
        return;
      }
      this.replyBytes = this.replyBytes.subarray(n);
      this.acked.add(chunk);
      this.pending.get(chunk)?.resolve();
      this.pending.delete(chunk);
      for (const l of this.ackListeners) l(chunk);
    }
    if (this.replyBytes.length > MAX_FORWARD_REPLY_BYTES) {
      this.protocolError(`${this.replyBytes.length} bytes that never complete a reply`);
    }
  }

  private protocolError(what: string): void {
    this.replyBytes = Buffer.alloc(0);
    this.fail(
      new ForwardClosedError(
        `the forward peer sent ${what}, where Fluent Bit sends only acks of a few dozen bytes: this is not a Fluent Bit forward input`,
        "EPROTO",
      ),
    );
    this.socket.destroy();
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
function connectOnce(target: ForwardTarget, timeoutMs: number): Promise<net.Socket> {
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

function errnoCode(err: unknown): string {
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
