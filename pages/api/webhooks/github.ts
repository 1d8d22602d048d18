import { nodeReceiver } from "@/lib/api-node";
import { receivePush } from "@/lib/data/webhooks";

/** POST /api/webhooks/github: the push receiver (lib/data/webhooks.ts; answers: docs/webhooks.md). */
export default nodeReceiver((delivery) => receivePush("github", delivery));

export const config = { api: { bodyParser: false } };
