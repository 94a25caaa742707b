import net from "node:net";
import { decode, encode } from "@msgpack/msgpack";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  ackOf,
  connectWithRetry,
  encodeForward,
  encodeMessage,
  ForwardClosedError,
  type ForwardConnection,
  INCOMPLETE,
  INVALID,
  msgpackValueLength,
  readAck,
} from "../../../src/probe/forward.js";
import { recordsFor } from "../../../src/probe/run.js";
import { runs } from "../../support/runs.js";

describe("forward frames", () => {
  it("Forward mode round-trips: [tag, [[time, record]…], {chunk}] with integer seconds", () => {
    const entries = recordsFor("run1", "app-firelens-preflight", "app", 3, 1_800_000_000_123);
    const decoded = decode(encodeForward("app-firelens-preflight", entries, "Y2h1bmsx")) as unknown[];
    expect(decoded[0]).toBe("app-firelens-preflight");
    expect(decoded[2]).toEqual({ chunk: "Y2h1bmsx" });
    const list = decoded[1] as [number, Record<string, string>][];
    expect(list).toHaveLength(3);
    for (const [t, r] of list) {
      expect(t).toBe(1_800_000_000);
      expect(Number.isInteger(t)).toBe(true);
      expect(r).toMatchObject({ source: "stdout", container_name: "app", firelens_preflight: "run1" });
    }
    expect(list.map(([, r]) => r.log)).toEqual([
      "firelens-preflight run1 app-firelens-preflight 1/3",
      "firelens-preflight run1 app-firelens-preflight 2/3",
      "firelens-preflight run1 app-firelens-preflight 3/3",
    ]);
  });

  it("Forward mode without options is a two-element array", () => {
    expect(decode(encodeForward("t", [[1, { a: "b" }]]))).toEqual(["t", [[1, { a: "b" }]]]);
  });

  it("Message mode round-trips: [tag, time, record, {chunk}]", () => {
    expect(decode(encodeMessage("t", [7, { log: "x" }], "c"))).toEqual([
      "t",
      7,
      { log: "x" },
      { chunk: "c" },
    ]);
    expect(decode(encodeMessage("t", [7, { log: "x" }]))).toEqual(["t", 7, { log: "x" }]);
  });

  it("records of a chunk are uniform (same keys, same value lengths), even past nine", () => {
    const entries = recordsFor("r", "web-firelens-preflight", "web", 12);
    const shapes = new Set(
      entries.map(([, r]) =>
        Object.entries(r)
          .map(([k, v]) => `${k}:${String(v).length}`)
          .join(),
      ),
    );
    expect(shapes.size).toBe(1);
  });

  it("reads acks", () => {
    expect(ackOf({ ack: "abc" })).toBe("abc");
    expect(ackOf(decode(Buffer.from("81a361636bb459324677644856795a53316a6148567561793078", "hex")))).toBe(
      "Y2FwdHVyZS1jaHVuay0x",
    );
    expect(ackOf(["ack"])).toBeNull();
    expect(ackOf({ ack: 1 })).toBeNull();
  });
});

describe("reply framing without a decoder", () => {
  it("measures any msgpack value exactly, and every proper prefix as incomplete", () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: false, withBigInt: false }), (value) => {
        const bytes = encode(value);
        expect(msgpackValueLength(bytes)).toBe(bytes.length);
        expect(msgpackValueLength(new Uint8Array([...bytes, 0xc0, 0xc0]))).toBe(bytes.length);
        for (const cut of [0, 1, bytes.length >> 1, bytes.length - 1]) {
          if (cut < bytes.length) expect(msgpackValueLength(bytes.subarray(0, cut))).toBe(INCOMPLETE);
        }
      }),
      { numRuns: runs(300) },
    );
  });

  it("walks a 2^32-item array header in the bytes it has, and refuses 0xc1", () => {
    const hostile = new Uint8Array(10_000).fill(0xc0);
    hostile.set([0xdd, 0xff, 0xff, 0xff, 0xff]);
    expect(msgpackValueLength(hostile)).toBe(INCOMPLETE);
    expect(msgpackValueLength(new Uint8Array([0xc1]))).toBe(INVALID);
  });

  it("reads the chunk id of {ack: id} in every map and string form, and nothing else", () => {
    expect(readAck(Buffer.from("81a361636bb459324677644856795a53316a6148567561793078", "hex"))).toBe(
      "Y2FwdHVyZS1jaHVuay0x",
    );
    expect(readAck(encode({ other: [1, 2], ack: "x".repeat(40) }))).toBe("x".repeat(40));
    const map16 = new Uint8Array([0xde, 0x00, 0x01, 0xd9, 0x03, 0x61, 0x63, 0x6b, 0xa1, 0x7a]);
    expect(readAck(map16)).toBe("z");
    expect(readAck(encode({ ack: 1 }))).toBeNull();
    expect(readAck(encode(["ack", "x"]))).toBeNull();
    expect(readAck(encode({ ACK: "x" }))).toBeNull();
    expect(readAck(encode(null))).toBeNull();
  });
});

describe("forward connection", () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  async function server(
    onData: (socket: net.Socket, data: Buffer) => void,
  ): Promise<{ port: number; srv: net.Server; sockets: net.Socket[] }> {
    const sockets: net.Socket[] = [];
    const srv = net.createServer((s) => {
      sockets.push(s);
      s.on("error", () => {});
      s.on("data", (d) => onData(s, d));
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    cleanup.push(() => {
      srv.close();
      for (const s of sockets) s.destroy();
    });
    return { port: (srv.address() as net.AddressInfo).port, srv, sockets };
  }

  async function connect(port: number): Promise<ForwardConnection> {
    const conn = await connectWithRetry(
      { kind: "tcp", host: "127.0.0.1", port },
      { signal: AbortSignal.timeout(2000), intervalMs: 20, attemptTimeoutMs: 500 },
    );
    cleanup.push(() => conn.close());
    return conn;
  }

  it("waits for {ack: chunk}, even when acks arrive split across packets", async () => {
    const { port } = await server((s, d) => {
      const frame = decode(d) as unknown[];
      const chunk = (frame[2] as { chunk: string }).chunk;
      const ack = Buffer.from(encode({ ack: chunk }));
      s.write(ack.subarray(0, 3));
      setTimeout(() => s.write(ack.subarray(3)), 20);
    });
    const conn = await connect(port);
    const chunk = await conn.sendForward("t", [[1, { a: "b" }]]);
    await expect(conn.waitAck(chunk)).resolves.toBeUndefined();
  });

  it("sees a crash (every socket destroyed) at once", async () => {
    const srv = await server(() => {
      /* never acks */
    });
    const conn = await connect(srv.port);
    const closed = new Promise<ForwardClosedError>((r) => conn.onClose(r));
    const chunk = await conn.sendForward("t", [[1, { a: "b" }]]);
    const ack = conn.waitAck(chunk);
    await new Promise((r) => setTimeout(r, 20));
    const t = Date.now();
    srv.srv.close();
    for (const s of srv.sockets) s.resetAndDestroy();
    await expect(ack).rejects.toBeInstanceOf(ForwardClosedError);
    const err = await closed;
    expect(Date.now() - t).toBeLessThan(200);
    expect(err.message).toMatch(/forward connection/);
    expect(conn.isOpen).toBe(false);
  });

  it("hangs up on a peer that sends more than a reply can be, before buffering it (0xdd ffffffff, then nils)", async () => {
    const srv = await server(() => {});
    const conn = await connect(srv.port);
    const closed = new Promise<ForwardClosedError>((r) => conn.onClose(r));
    const peer = srv.sockets[0];
    peer?.write(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]));
    const nils = Buffer.alloc(1024, 0xc0);
    const flood = setInterval(() => peer?.write(nils), 1);
    const err = await closed;
    clearInterval(flood);
    expect(err.code).toBe("EPROTO");
    expect(err.message).toMatch(/bytes that never complete a reply.*not a Fluent Bit forward input/);
    expect(conn.isOpen).toBe(false);
  });

  it("takes a foreign reply for a protocol error, and acks as acks", async () => {
    const { port } = await server((s, d) => {
      const chunk = ((decode(d) as unknown[])[2] as { chunk: string }).chunk;
      s.write(encode({ ack: chunk }));
      s.write(encode({ hello: "world" }));
    });
    const conn = await connect(port);
    const closed = new Promise<ForwardClosedError>((r) => conn.onClose(r));
    const chunk = await conn.sendForward("t", [[1, { a: "b" }]]);
    await expect(conn.waitAck(chunk)).resolves.toBeUndefined();
    expect((await closed).message).toMatch(/a reply that is not an ack/);
  });

  it("retries the connection until the router listens", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const failures: string[] = [];
    const pending = connectWithRetry(
      { kind: "tcp", host: "127.0.0.1", port },
      {
        signal: AbortSignal.timeout(3000),
        intervalMs: 20,
        attemptTimeoutMs: 500,
        onAttemptFailed: (c) => failures.push(c),
      },
    );
    await new Promise((r) => setTimeout(r, 150));
    const late = net.createServer((s) => s.on("error", () => {}));
    await new Promise<void>((r) => late.listen(port, "127.0.0.1", r));
    cleanup.push(() => late.close());
    const conn = await pending;
    cleanup.push(() => conn.close());
    expect(conn.isOpen).toBe(true);
    expect(failures[0]).toBe("ECONNREFUSED");
  });

  it("gives up with the signal's reason", async () => {
    await expect(
      connectWithRetry(
        { kind: "unix", path: "/nonexistent/fluent.sock" },
        { signal: AbortSignal.timeout(100), intervalMs: 20, attemptTimeoutMs: 50 },
      ),
    ).rejects.toBeDefined();
  });
});
