// `npm run db:migrate-sqlite-to-postgres -- <sqlite file> <postgres url>`: moves a Tether store from
// its SQLite file into an empty PostgreSQL database (lib/store/move.ts). Stop Tether first; start it
// again with TETHER_DATABASE_URL set to the same URL. The SQLite file is left as it was (migrated to
// the latest version, as Tether itself would on start), so going back is starting without the URL.
import { MoveError, moveSqliteToPostgres, redact } from "../lib/store/move";

async function main(): Promise<number> {
  const [file, url] = process.argv.slice(2).filter((a) => a !== "--");
  if (!file || !url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error("usage: npm run db:migrate-sqlite-to-postgres -- <sqlite file> <postgres://user:password@host:5432/database>");
    return 2;
  }
  console.log(`moving ${file} → ${redact(url)}`);
  const started = Date.now();
  try {
    const moved = await moveSqliteToPostgres(file, url, (line) => console.log(line));
    const total = moved.reduce((n, m) => n + m.rows, 0);
    console.log(`moved ${total} rows in ${moved.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s; the counts match after the commit`);
    console.log(`start Tether with TETHER_DATABASE_URL=${redact(url)}`);
    return 0;
  } catch (e) {
    // A MoveError says what happened and what to do; anything else (the server unreachable, a
    // refused login) comes before any row is copied, in the driver's own words.
    const cause = (e as Error).cause instanceof Error ? ` [${((e as Error).cause as Error).message}]` : "";
    console.error(`move failed: ${e instanceof MoveError ? e.message : `${(e as Error).message}${cause} (nothing was copied)`}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
