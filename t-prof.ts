import { orgFixture } from "./emulator/fixtures/org";
import { EmulatorState } from "./emulator/state";
for (let i = 0; i < 4; i++) { const t0 = performance.now(); const f = orgFixture(); const t1 = performance.now(); new EmulatorState().load(f); console.log((t1-t0).toFixed(0), (performance.now()-t1).toFixed(0)); }
