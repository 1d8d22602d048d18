import type { EmulatorState } from "./state";
import { setConnectionStatus } from "./transitions";

/**
 * The demo's status flip (`--status-flip-minutes <n>`, off by default): every n minutes the
 * connection the fixture names (`FixtureData.statusFlip`; only the demo names one) goes from
 * AVAILABLE to ERROR, and n minutes later back, so that Tether's alerts fire and resolve while
 * someone watches the demo. A connection someone moved to PENDING (or deleted) is left alone. Tests
 * and benchmarks never pass the flag: nothing flips unless asked.
 */
export class StatusFlipper {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly state: EmulatorState) {}

  start(minutes: number): void {
    this.stop();
    if (!(minutes > 0)) return;
    this.timer = setInterval(() => this.tick(), minutes * 60_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One flip; the connection's new status, or undefined when nothing was flipped. */
  tick(): string | undefined {
    const target = this.state.statusFlip;
    if (!target) return undefined;
    const connection = [...this.state.codeConnections.connections.values()].find((c) => c.account === target.account && c.region === target.region && c.name === target.connection);
    if (!connection || (connection.status !== "AVAILABLE" && connection.status !== "ERROR")) return undefined;
    const next = connection.status === "AVAILABLE" ? "ERROR" : "AVAILABLE";
    setConnectionStatus(this.state, connection.uuid, next);
    console.log(`[emulator] status flip: ${connection.name} (${connection.account}/${connection.region}) is now ${next}`);
    return next;
  }
}
