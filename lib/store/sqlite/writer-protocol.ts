import type { IngestWrite } from "./ingest";

/** The messages between the main thread (writer-thread.ts) and the writer thread (writer.ts). */

/** A failure as it crosses between threads: what is needed to rebuild the error. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}
export type WireOutcome = { ok: true; value: unknown } | { ok: false; error: WireError };
export type ToWriter = { type: "batch"; seq: number; writes: IngestWrite[] } | { type: "close" };
/** A batch's outcome; `transaction` numbers the thread's transactions (batches merged into one share it). */
export type FromWriter =
  | { type: "done"; seq: number; transaction: number; results: WireOutcome[] }
  | { type: "failed"; seq: number; error: WireError }
  /** The thread could not open its connection: no batch it was sent committed; it ends. */
  | { type: "unusable"; error: WireError };

export function toWire(e: unknown): WireError {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: e.name, message: e.message, ...(typeof code === "string" ? { code } : {}) };
  }
  return { name: "Error", message: String(e) };
}

/** The error again on this side (SQLite's code kept, e.g. SQLITE_CONSTRAINT_NOTNULL). */
export function fromWire(w: WireError): Error {
  return Object.assign(new Error(w.message), { name: w.name }, w.code ? { code: w.code } : {});
}
