import { utcTime } from "@/lib/labels";
import type { AlertView, DeliveryView } from "@/lib/types";
import { cn } from "@/lib/utils";

/** Firing (red) or resolved (green), with what an admin did to it; the word is always there, not only the colour. */
export function AlertStateBadge({ alert, now }: { alert: Pick<AlertView, "state" | "acknowledged" | "silenced">; now: number }) {
  const silenced = alert.silenced && Date.parse(alert.silenced.until) > now;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span data-alert-state={alert.state} className={cn("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap", alert.state === "firing" ? "bg-error-bg text-error" : "bg-available-bg text-available")}>
        <span aria-hidden className="size-1.5 rounded-full bg-current" />
        {alert.state}
      </span>
      {alert.state === "firing" && alert.acknowledged ? (
        <span className="rounded-full bg-surface-2 px-2 py-0.5 text-xs text-muted" title={`by ${alert.acknowledged.by} at ${utcTime(alert.acknowledged.at)}: ${alert.acknowledged.reason}`}>
          acknowledged
        </span>
      ) : null}
      {alert.state === "firing" && silenced ? (
        <span className="rounded-full bg-pending-bg px-2 py-0.5 text-xs text-pending" title={`by ${alert.silenced?.by ?? ""}: ${alert.silenced?.reason ?? ""}`}>
          silenced until {utcTime(alert.silenced?.until ?? "").slice(0, 16)}
        </span>
      ) : null}
    </span>
  );
}

const DELIVERY_STYLE: Record<DeliveryView["state"], string> = {
  sent: "text-available",
  pending: "text-pending",
  failed: "text-error",
};

function deliveryText(d: DeliveryView): string {
  if (d.state === "sent") return `sent${d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}`;
  if (d.state === "failed") return `failed: ${d.lastError ?? `HTTP ${d.lastStatus ?? "?"}`}`;
  return d.attempts === 0 ? "queued" : `retrying (${d.attempts} ${d.attempts === 1 ? "attempt" : "attempts"}: ${d.lastError ?? "failed"})`;
}

/** One line per channel: whether the latest notification reached it. */
export function Deliveries({ deliveries, empty = "no notification" }: { deliveries: DeliveryView[]; empty?: string }) {
  if (deliveries.length === 0) return <span className="text-xs text-muted">{empty}</span>;
  return (
    <ul className="space-y-0.5 text-xs" data-testid="deliveries">
      {deliveries.map((d) => (
        <li key={d.channel} data-channel={d.channel} data-delivery-state={d.state} className="break-words">
          <span className="text-muted">{d.channelLabel}:</span> <span className={DELIVERY_STYLE[d.state]}>{deliveryText(d)}</span>
          {d.state === "pending" && d.nextAttemptAt && d.attempts > 0 ? <span className="text-muted"> · next {utcTime(d.nextAttemptAt).slice(11)}</span> : null}
        </li>
      ))}
    </ul>
  );
}
