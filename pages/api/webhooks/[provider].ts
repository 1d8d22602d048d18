import type { NextApiRequest, NextApiResponse } from "next";
import { refuseMethod } from "@/lib/api-node";
import { receiverHeaders } from "@/lib/api";

/** Any other name under /api/webhooks/: no receiver (the three static routes beside this one match first). */
export default function noReceiver(req: NextApiRequest, res: NextApiResponse): void {
  if (refuseMethod(req, res)) return;
  const provider = String(req.query.provider ?? "").slice(0, 100);
  const body = JSON.stringify({ error: `no receiver for ${provider}; use github, gitlab or bitbucket` });
  res.writeHead(404, { ...receiverHeaders(), "content-type": "application/json", connection: "close" });
  res.end(body);
}

export const config = { api: { bodyParser: false } };
