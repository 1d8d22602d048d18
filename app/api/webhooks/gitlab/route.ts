import { receiver } from "../receiver";

export const dynamic = "force-dynamic";

/** POST /api/webhooks/gitlab: the push receiver (app/api/webhooks/receiver.ts, docs/webhooks.md). */
export const POST = receiver("gitlab");
