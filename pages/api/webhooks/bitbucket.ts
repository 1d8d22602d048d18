import { nodeReceiver } from "@/lib/api-node";
import { receivePush } from "@/lib/data/webhooks";

/** POST /api/webhooks/bitbucket: the push receiver (lib/data/webhooks.ts; answers: docs/webhooks.md). */
export default nodeReceiver((delivery) => receivePush("bitbucket", delivery));

export const config = { api: { bodyParser: false } };
