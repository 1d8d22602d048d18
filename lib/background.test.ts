import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { handOverOnShutdown, type Background } from "./background";

describe("handOverOnShutdown", () => {
  it.each(["SIGTERM", "SIGINT"])("%s stops the jobs once (their leases released) and says so when the releases are done", async (signal) => {
    const proc = new EventEmitter();
    let settle: () => void = () => undefined;
    const stop = vi.fn(() => new Promise<void>((r) => (settle = r)));
    const background: Background = { stop, status: () => [] };
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(handOverOnShutdown(background, proc)).toBe(background);
      expect(stop).not.toHaveBeenCalled();
      proc.emit(signal);
      expect(stop).toHaveBeenCalledTimes(1);
      await Promise.resolve();
      expect(log).not.toHaveBeenCalled();
      settle();
      await vi.waitFor(() => expect(log).toHaveBeenCalledWith(`[tether] ${signal}: background jobs stopped, leases handed over`));
      // A second signal (an impatient supervisor) does not stop them again.
      proc.emit(signal);
      expect(stop).toHaveBeenCalledTimes(1);
    } finally {
      log.mockRestore();
    }
  });
});
