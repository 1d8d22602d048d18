import { nodeReceiver } from "@/lib/api-node";
import { receiveEvent } from "@/lib/data/webhooks";

/** POST /api/events/codepipeline: the EventBridge API destination, pipeline execution starts (x-tether-api-key). */
export default nodeReceiver(receiveEvent);

export const config = { api: { bodyParser: false } };
