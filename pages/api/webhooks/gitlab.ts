import { nodeReceiver } from "@/lib/api-node";
import { receivePush } from "@/lib/data/webhooks";

/** POST /api/webhooks/gitlab: the push receiver (lib/data/webhooks.ts; answers: docs/webhooks.md). */
export default nodeReceiver((delivery) => receivePush("gitlab", delivery));

export const config = { api: { bodyParser: false } };
