// Compares every capture given on the command line with tshark; prints a line per file that differs.
import { diff, ourFields, tsharkFields } from './tshark.js';

const files = process.argv.slice(2);
let next = 0;
async function worker(): Promise<void> {
  while (next < files.length) {
    const f = files[next++]!;
    try {
      const [theirs, ours] = await Promise.all([tsharkFields(f), Promise.resolve().then(() => ourFields(f))]);
      const d = diff(theirs, ours);
      if (d.length) console.log(`${f}\t${d.length}\t${JSON.stringify(d.slice(0, 3))}`);
    } catch (e) {
      console.log(`${f}\tERROR\t${(e as Error).message.split('\n')[0]}`);
    }
  }
}
await Promise.all([worker(), worker(), worker()]);
