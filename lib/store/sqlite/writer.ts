import { parentPort, threadId, workerData } from "node:worker_threads";
import { commitBatch } from "@/lib/store/group-commit";
import { openConnection, type Db } from "./database";
import { IngestWrites } from "./ingest";
import { toWire, type FromWriter, type ToWriter } from "./writer-protocol";

/**
 * The writer thread (started by writer-thread.ts): its own connection to the database file, with
 * the same settings as the main one (WAL, synchronous=FULL, busy_timeout), committing the batches
 * it receives with the receivers' SQL (ingest.ts), then reporting each write's outcome. Batches
 * that arrive while it commits (the main thread does not wait for one to be reported before it
 * sends the next) are merged into its next transaction: one fsync for all of them. The main thread
 * migrated the file before this thread was started.
 */

const port = parentPort;
if (!port) throw new Error("writer.ts runs as a worker thread");
const file = (workerData as { file: string }).file;

function open(): { db: Db; writes: IngestWrites } | null {
  try {
    const db = openConnection(file);
    // One line per thread in a production server's log: where the receivers' commits run.
    if (process.env.NODE_ENV === "production") console.log(`[tether] SQLite writer thread ${threadId}: committing the receivers' writes on its own connection to ${file}`);
    return { db, writes: new IngestWrites(db) };
  } catch (e) {
    // The file cannot be opened (SQLITE_CANTOPEN: its folder gone, no permission...): nothing the
    // main thread sends can commit. Said once, with SQLite's code, then the thread ends; the main
    // thread fails every batch it sent with that error (503: the provider retries), and the next
    // batch starts a new thread, which tries again.
    // better-sqlite3 checks the folder itself and throws a TypeError without a code; it is
    // SQLite's CANTOPEN all the same.
    const error = toWire(e);
    port?.postMessage({ type: "unusable", error: { ...error, code: error.code ?? "SQLITE_CANTOPEN" } } satisfies FromWriter);
    port?.close();
    return null;
  }
}

const opened = open();

let queued: Extract<ToWriter, { type: "batch" }>[] = [];
let scheduled = false;
let transactions = 0;

/** One transaction for every batch received since the last one. */
function commitQueued(): void {
  scheduled = false;
  const batches = queued;
  queued = [];
  if (batches.length === 0 || !opened) return;
  const { db, writes } = opened;
  let answers: FromWriter[];
  try {
    const results = commitBatch(
      db,
      batches.flatMap((b) => b.writes),
      (w) => writes.apply(w),
    );
    transactions++;
    let at = 0;
    answers = batches.map((b) => {
      const mine = results.slice(at, (at += b.writes.length));
      return { type: "done", seq: b.seq, transaction: transactions, results: mine.map((r) => (r.ok ? r : { ok: false, error: toWire(r.error) })) };
    });
  } catch (e) {
    const error = toWire(e);
    answers = batches.map((b) => ({ type: "failed", seq: b.seq, error }));
  }
  for (const answer of answers) port?.postMessage(answer);
}

port.on("message", (m: ToWriter) => {
  if (m.type === "close") {
    // Batches sent before the close are committed and answered first.
    commitQueued();
    opened?.db.close();
    port.close();
    return;
  }
  queued.push(m);
  if (!scheduled) {
    scheduled = true;
    // After the other messages already delivered in this turn: they join this transaction.
    setImmediate(commitQueued);
  }
});
