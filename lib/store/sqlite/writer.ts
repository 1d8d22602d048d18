import { parentPort, workerData } from "node:worker_threads";
import { commitBatch } from "@/lib/store/group-commit";
import { openConnection } from "./database";
import { IngestWrites } from "./ingest";
import { toWire, type FromWriter, type ToWriter } from "./writer-protocol";

/**
 * The writer thread (started by writer-thread.ts): its own connection to the database file, with
 * the same settings as the main one (WAL, synchronous=FULL, busy_timeout), committing each batch
 * it receives in one transaction with the receivers' SQL (ingest.ts), then reporting each write's
 * outcome. The main thread migrated the file before this thread was started.
 */

const port = parentPort;
if (!port) throw new Error("writer.ts runs as a worker thread");
const db = openConnection((workerData as { file: string }).file);
const writes = new IngestWrites(db);

port.on("message", (m: ToWriter) => {
  if (m.type === "close") {
    db.close();
    port.close();
    return;
  }
  let answer: FromWriter;
  try {
    const results = commitBatch(db, m.writes, (w) => writes.apply(w));
    answer = { type: "done", seq: m.seq, results: results.map((r) => (r.ok ? r : { ok: false, error: toWire(r.error) })) };
  } catch (e) {
    answer = { type: "failed", seq: m.seq, error: toWire(e) };
  }
  port.postMessage(answer);
});
