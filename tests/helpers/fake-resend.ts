import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * How POST /emails answers from now on: 200 (accepted), 500 (an outage), "hang"
 * (no answer at all: the client times out), or "accept-then-drop" (the e-mail is
 * accepted, then the connection is cut before the answer: a lost response).
 */
export type FakeResendMode = 200 | 500 | "hang" | "accept-then-drop";

export interface FakeResend {
  /** Base URL to give the SDK (RESEND_BASE_URL), without a trailing slash. */
  url: string;
  requests: RecordedRequest[];
  /** The e-mails accepted, once each: a request repeating an Idempotency-Key is not delivered again (as Resend does). */
  delivered: RecordedRequest[];
  respondWith(mode: FakeResendMode): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for the Resend API: records every request and answers
 * POST /emails with `{ id }`, or fails in one of the ways of FakeResendMode.
 */
export async function startFakeResend(): Promise<FakeResend> {
  const requests: RecordedRequest[] = [];
  const delivered: RecordedRequest[] = [];
  const idsByKey = new Map<string, string>();
  let status: FakeResendMode = 200;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { unparseable: raw };
      }
      const recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      requests.push(recorded);

      res.setHeader("content-type", "application/json");
      if (req.method !== "POST" || req.url !== "/emails") {
        res.writeHead(404).end(JSON.stringify({ name: "not_found", message: "Unknown route", statusCode: 404 }));
        return;
      }
      if (status === 500) {
        res.writeHead(500).end(JSON.stringify({ name: "internal_server_error", message: "Fake outage", statusCode: 500 }));
        return;
      }
      if (status === "hang") return; // never answers; closeAllConnections() ends it
      const key = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined;
      let id = key ? idsByKey.get(key) : undefined;
      if (!id) {
        id = randomUUID();
        if (key) idsByKey.set(key, id);
        delivered.push(recorded);
      }
      if (status === "accept-then-drop") {
        req.socket.destroy();
        return;
      }
      res.writeHead(200).end(JSON.stringify({ id }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    respondWith: (next) => {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
