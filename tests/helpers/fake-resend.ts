import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeResend {
  /** Base URL to give the SDK (RESEND_BASE_URL), without a trailing slash. */
  url: string;
  requests: RecordedRequest[];
  /** The status POST /emails answers with from now on (200 by default). */
  respondWith(status: 200 | 500): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for api.resend.com: records every request and answers
 * POST /emails with `{ id }` (or a 500 while told to fail).
 */
export async function startFakeResend(): Promise<FakeResend> {
  const requests: RecordedRequest[] = [];
  let status: 200 | 500 = 200;

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
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });

      res.setHeader("content-type", "application/json");
      if (req.method !== "POST" || req.url !== "/emails") {
        res.writeHead(404).end(JSON.stringify({ name: "not_found", message: "Unknown route", statusCode: 404 }));
      } else if (status === 500) {
        res.writeHead(500).end(JSON.stringify({ name: "internal_server_error", message: "Fake outage", statusCode: 500 }));
      } else {
        res.writeHead(200).end(JSON.stringify({ id: randomUUID() }));
      }
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
