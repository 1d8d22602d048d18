import { buildFixture } from "./emulator/fixtures";
import { EmulatorState } from "./emulator/state";
const r: Record<string, number[]> = { large: [], org: [] };
for (let i = 0; i < 6; i++) for (const name of ["large", "org"] as const) {
  const t0 = performance.now(); const f = buildFixture(name); new EmulatorState().load(f); r[name]!.push(performance.now() - t0);
}
console.log(Object.entries(r).map(([k, v]) => `${k} min ${Math.min(...v).toFixed(0)} median ${[...v].sort((a, b) => a - b)[3]!.toFixed(0)}`).join(" | "));
