// A small round-robin HTTP proxy in front of several Tether replicas, as a load balancer would
// stand: `npm run demo -- --replicas 2` and the replicas e2e spec put one on the public port.
// Each request goes to the next replica; a replica that refuses the connection (killed) is skipped
// for that request and marked down for a few seconds, so a dead replica costs no failed page.
// Requests are buffered before they are sent (webhooks are capped at 25 MiB by the app anyway), so
// one refused by a dead replica can be sent to the next; a replica that dies mid-answer answers 502.
import http from "node:http";

/**
 * @param {{ port: number, backends: { name: string, port: number }[], host?: string, log?: (line: string) => void }} opts
 * @returns {Promise<{ port: number, pin(name: string | null): void, served: Record<string, number>, close(): Promise<void> }>}
 */
export async function startRoundRobin(opts) {
  const backends = opts.backends.map((b) => ({ ...b, downUntil: 0 }));
  const served = Object.fromEntries(backends.map((b) => [b.name, 0]));
  let next = 0;
  /** @type {string | null} */
  let pinned = null;

  const order = () => {
    if (pinned) return backends.filter((b) => b.name === pinned);
    const start = next++ % backends.length;
    const rotated = [...backends.slice(start), ...backends.slice(0, start)];
    const now = Date.now();
    return [...rotated.filter((b) => b.downUntil <= now), ...rotated.filter((b) => b.downUntil > now)];
  };

  const forward = (req, body, res, candidates) => {
    const backend = candidates[0];
    if (!backend) {
      res.writeHead(502, { "content-type": "text/plain" }).end("no replica answered\n");
      return;
    }
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "", "x-forwarded-proto": "http" },
      },
      (answer) => {
        served[backend.name] += 1;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("error", () => res.destroy());
      },
    );
    upstream.on("error", (e) => {
      if (res.headersSent) return res.destroy();
      // Refused or reset before any answer: the replica is gone; the next one gets the request.
      backend.downUntil = Date.now() + 5_000;
      opts.log?.(`[proxy] ${backend.name} (port ${backend.port}) did not answer (${e.code ?? e.message}); trying the next replica`);
      forward(req, body, res, candidates.slice(1));
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => forward(req, Buffer.concat(chunks), res, order()));
    req.on("error", () => res.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve(undefined));
  });
  return {
    port: /** @type {import("node:net").AddressInfo} */ (server.address()).port,
    /** Sends every request to one replica (tests), or back to round robin (null). */
    pin: (name) => {
      pinned = name;
    },
    served,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}
