/**
 * A fake Datadog log intake for the test router's datadog output. It accepts both request forms real Fluent Bit
 * sends (1.8.x `POST /v1/input/<key>`, 1.9.6+ `POST /api/v2/logs` with `DD-API-KEY`) and answers as told.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import net from "node:net";

export type IntakeMode = "accept" | "500" | "403" | "down";

export interface IntakeRequest {
  readonly method: string;
  /** The URL as received (1.8.x carries the API key in it: never print this). */
  readonly url: string;
  /** The URL with the key replaced by `<apikey>`, as the recordings store it. */
  readonly redactedUrl: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly receivedAt: number;
}

export interface FakeIntake {
  readonly url: string;
  readonly mode: IntakeMode;
  readonly requests: IntakeRequest[];
  /** Resolves with the first request (never, in `down` mode). */
  readonly firstRequest: Promise<IntakeRequest>;
  close(): Promise<void>;
}

/**
 * A loopback port that nothing listens on and that the kernel will not hand out by itself: picked below the
 * ephemeral range (32768+), so no `listen(0)` or outgoing connection of a concurrent test can land on it while a
 * probe expects it to refuse connections or a delayed router is about to take it.
 */
export async function unusedPort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(false);
      });
      s.once("error", () => resolve(true));
    });
    if (refused) return port;
  }
}

export function redactIntakeUrl(url: string): string {
  return url.replace(/\/input\/[^/?]+/, "/input/<apikey>");
}

export async function startFakeIntake(opts: { mode: IntakeMode }): Promise<FakeIntake> {
  const requests: IntakeRequest[] = [];
  let onFirst: (r: IntakeRequest) => void = () => {};
  const firstRequest = new Promise<IntakeRequest>((resolve) => {
    onFirst = resolve;
  });
  if (opts.mode === "down") {
    const port = await unusedPort();
    return {
      url: `http://127.0.0.1:${port}`,
      mode: opts.mode,
      requests,
      firstRequest,
      close: async () => {},
    };
  }
  const status = opts.mode === "accept" ? 202 : Number(opts.mode);
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => {
      const text = Buffer.concat(parts).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text: a malformed body is itself worth asserting on
      }
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const url = req.url ?? "";
      const entry: IntakeRequest = {
        method: req.method ?? "",
        url,
        redactedUrl: redactIntakeUrl(url),
        headers,
        body,
        receivedAt: Date.now(),
      };
      requests.push(entry);
      if (requests.length === 1) onFirst(entry);
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mode: opts.mode,
    requests,
    firstRequest,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
