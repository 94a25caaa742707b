/**
 * The forward session: the probe's side of the router's forward input for one run. It connects (retrying until
 * the router listens), writes one chunk of records per tag with an ack requested, counts the acks, and keeps
 * the connection open to the end, so a router that dies is seen the moment its sockets close; at the end it
 * sends the liveness ping.
 */
import type { ForwardTarget } from "./config.js";
import {
  canConnect,
  connectWithRetry,
  encodeForward,
  eventTime,
  type FluentEntry,
  type ForwardClosedError,
  type ForwardConnection,
  newChunkId,
  raceAbort,
  sleep,
} from "./forward.js";

/** FireLens routes this tag to its `null` output: the ping never reaches the app's destination. */
export const PING_TAG = "firelens-healthcheck";

export interface SessionTiming {
  readonly connectRetryMs: number;
  readonly connectTimeoutMs: number;
  readonly aliveCheckTimeoutMs: number;
  /** How long the final liveness ping may wait for its ack. */
  readonly pingTimeoutMs: number;
}

/** One chunk of records to write: a tag and its entries. */
export interface OutgoingChunk {
  readonly tag: string;
  readonly entries: readonly FluentEntry[];
}

export class ForwardSession {
  /** Milliseconds into the run when the forward port first accepted the probe, when the first record went out, when every chunk was acked. */
  connectedAt: number | null = null;
  sentAt: number | null = null;
  ackedAt: number | null = null;
  sent = 0;
  chunks = 0;
  acked = 0;
  /** Why the router let go of the current connection (or why the probe hung up on it), once it did. */
  closed: ForwardClosedError | null = null;
  lastConnectError: string | null = null;

  private conn: ForwardConnection | null = null;
  private readonly chunkIds = new Set<string>();
  private readonly ackedIds = new Set<string>();

  constructor(
    readonly target: ForwardTarget,
    private readonly timing: SessionTiming,
    /** Milliseconds into the run. */
    private readonly elapsed: () => number,
    /** Called on every ack and on the connection's end. */
    private readonly onChange: () => void,
  ) {}

  get allAcked(): boolean {
    return this.chunks > 0 && this.acked >= this.chunks;
  }

  /** Connects, retrying until the router listens or `signal` aborts. */
  async connect(signal: AbortSignal): Promise<void> {
    this.use(
      await connectWithRetry(this.target, {
        signal,
        intervalMs: this.timing.connectRetryMs,
        attemptTimeoutMs: this.timing.connectTimeoutMs,
        onAttemptFailed: (code) => {
          this.lastConnectError = code;
        },
      }),
    );
    this.connectedAt ??= this.elapsed();
  }

  /**
   * After a wait before the send (for the agent): a router may drop an idle connection, so one that closed is
   * reopened once. False when the router is gone (refuses a new connection) or broke the protocol.
   */
  async reopenIfDropped(signal: AbortSignal): Promise<boolean> {
    if (this.closed === null) return true;
    if (this.closed.code === "EPROTO") return false;
    const again = await raceAbort(canConnect(this.target, this.timing.aliveCheckTimeoutMs), signal);
    if (!again.ok) return false;
    this.closed = null;
    await this.connect(signal);
    return true;
  }

  /** Writes each chunk with an ack requested; stops at the first write the router no longer takes. */
  async send(chunks: readonly OutgoingChunk[]): Promise<void> {
    const conn = this.conn;
    if (conn === null) return;
    this.sentAt = this.elapsed();
    for (const { tag, entries } of chunks) {
      // Known before the write, so an ack can never arrive for an id we do not know yet.
      const chunk = newChunkId();
      this.chunkIds.add(chunk);
      try {
        await conn.write(encodeForward(tag, entries, chunk));
      } catch {
        // The close listener has recorded why; the run reports it.
        break;
      }
      this.sent += entries.length;
      this.chunks++;
    }
    if (this.allAcked && this.ackedAt === null) this.ackedAt = this.elapsed();
  }

  /** Whether the forward port accepts a fresh connection right now. */
  accepts(): Promise<{ ok: boolean; code: string | null }> {
    return canConnect(this.target, this.timing.aliveCheckTimeoutMs);
  }

  /**
   * One record on PING_TAG on the open connection: "acked", or why not (no ack in time, the connection gone).
   * `stop` ends the wait early when the run ends.
   */
  async ping(record: Readonly<Record<string, string>>, stop: AbortSignal): Promise<string> {
    const conn = this.conn;
    if (conn === null) return "no connection";
    const chunk = newChunkId();
    try {
      await conn.write(encodeForward(PING_TAG, [[eventTime(), record]], chunk));
      const timeout = sleep(this.timing.pingTimeoutMs, stop).then(() => "timeout" as const);
      const acked = conn.waitAck(chunk).then(() => "acked" as const);
      const r = await Promise.race([acked, timeout]);
      acked.catch(() => {});
      return r === "acked" ? "acked" : `no ack within ${this.timing.pingTimeoutMs} ms (sockets still open)`;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  close(): void {
    this.conn?.close();
  }

  private use(conn: ForwardConnection): void {
    this.conn = conn;
    conn.onClose((e) => {
      if (conn !== this.conn) return;
      this.closed = e;
      this.onChange();
    });
    conn.onAck((chunk) => {
      if (!this.chunkIds.has(chunk) || this.ackedIds.has(chunk)) return;
      this.ackedIds.add(chunk);
      this.acked++;
      if (this.allAcked && this.ackedAt === null) this.ackedAt = this.elapsed();
      this.onChange();
    });
  }
}
