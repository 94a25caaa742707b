/**
 * Fluent forward protocol, server side, as Fluent Bit's in_forward reads it (the spec:
 * https://github.com/fluent/fluentd/wiki/Forward-Protocol-Specification-v1):
 * Message `[tag, time, record, option?]`, Forward `[tag, [[time, record], …], option?]`, PackedForward
 * `[tag, bin, option?]` and CompressedPackedForward (PackedForward with `{compressed: "gzip"}`).
 */
import { gunzipSync } from "node:zlib";
import { decodeMulti, ExtData, encode } from "@msgpack/msgpack";

export type FluentRecord = Record<string, unknown>;

export interface FluentEvent {
  /** Event time in seconds (EventTime keeps its nanoseconds as a fraction). */
  readonly time: number;
  /** The time exactly as the client encoded it, so byte counts can be taken the way Fluent Bit stores it. */
  readonly rawTime: unknown;
  readonly record: FluentRecord;
}

export interface ForwardMessage {
  readonly tag: string;
  readonly events: readonly FluentEvent[];
  /** The `chunk` option when the client asked for an ack. */
  readonly chunk?: string;
}

export class ForwardProtocolError extends Error {}

function isRecord(v: unknown): v is FluentRecord {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function toSeconds(t: unknown): number {
  if (typeof t === "number") return t;
  if (typeof t === "bigint") return Number(t);
  // Fluent's EventTime: ext type 0, 4 bytes seconds + 4 bytes nanoseconds, big-endian.
  if (t instanceof ExtData && t.type === 0 && t.data instanceof Uint8Array && t.data.length === 8) {
    const view = new DataView(t.data.buffer, t.data.byteOffset, 8);
    return view.getUint32(0) + view.getUint32(4) / 1e9;
  }
  throw new ForwardProtocolError("event time is neither an integer nor an EventTime");
}

function toEvent(entry: unknown): FluentEvent {
  if (!Array.isArray(entry) || entry.length < 2)
    throw new ForwardProtocolError("entry is not [time, record]");
  // Fluent Bit 2.x+ clients may send [[time, metadata], record].
  const head: unknown = entry[0];
  const rawTime = Array.isArray(head) ? head[0] : head;
  const record: unknown = entry[1];
  if (!isRecord(record)) throw new ForwardProtocolError("record is not a map");
  return { time: toSeconds(rawTime), rawTime, record };
}

function decodeEntries(bytes: Uint8Array): FluentEvent[] {
  return Array.from(decodeMulti(bytes, { useBigInt64: false }), toEvent);
}

/** Turns one decoded top-level msgpack value into a forward message, or throws as in_forward would reject it. */
export function parseForwardMessage(value: unknown): ForwardMessage {
  if (!Array.isArray(value) || value.length < 2) throw new ForwardProtocolError("message is not an array");
  const [tag, second] = value as unknown[];
  if (typeof tag !== "string") throw new ForwardProtocolError("tag is not a string");
  let options: unknown;
  let events: FluentEvent[];
  if (Array.isArray(second)) {
    events = second.map(toEvent);
    options = value[2];
  } else if (second instanceof Uint8Array || typeof second === "string") {
    options = value[2];
    let bytes = typeof second === "string" ? Buffer.from(second, "binary") : second;
    if (isRecord(options) && options.compressed === "gzip") bytes = gunzipSync(bytes);
    events = decodeEntries(bytes);
  } else {
    const record: unknown = value[2];
    if (!isRecord(record)) throw new ForwardProtocolError("message-mode record is not a map");
    events = [{ time: toSeconds(second), rawTime: second, record }];
    options = value[3];
  }
  const chunk = isRecord(options) && typeof options.chunk === "string" ? options.chunk : undefined;
  return chunk === undefined ? { tag, events } : { tag, events, chunk };
}

/** The reply in_forward sends once the records are buffered: the msgpack map `{"ack": chunk}`. */
export function encodeAck(chunk: string): Uint8Array {
  return encode({ ack: chunk });
}

/** Size of one event as Fluent Bit 1.x stores it in a chunk: the msgpack `[time, record]` as received. */
export function storedEventSize(event: FluentEvent): number {
  return encode([event.rawTime, event.record]).length;
}
