import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A page served from another port of `localhost`: same-site with Tether (ports do not make a
 * site), so the browser sends Tether's SameSite=Lax session cookie with its requests — the
 * real cross-site request forgery setting, not a foreign domain the cookie would never reach.
 */
export interface CrossSitePage {
  origin: string;
  close(): Promise<void>;
}

export async function serveHtml(html: string): Promise<CrossSitePage> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
