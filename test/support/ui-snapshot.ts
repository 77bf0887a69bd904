import { openCapture } from '../../src/capture/open.js';
import { Engine } from '../../src/dissect/engine.js';
import { TunnelTable } from '../../src/tunnels/table.js';
import { type Snapshot, Store } from '../../src/ui/store.js';

/** The UI's snapshot after every frame of the captures at `paths`, read in turn into one table, and the table. */
export function uiSnapshot(...paths: string[]): { table: TunnelTable; snapshot: Snapshot } {
  const table = new TunnelTable();
  const store = new Store(table, 'test', null, false);
  const engine = new Engine();
  for (const path of paths) {
    const src = openCapture(path);
    try {
      while (src.next()) {
        const ctx = engine.dissect(src.frame);
        table.observe(ctx);
        store.onPacket(ctx.tsSec);
      }
    } finally {
      src.close();
    }
  }
  store.finish(null);
  const snapshot = store.getSnapshot();
  store.stop();
  return { table, snapshot };
}
