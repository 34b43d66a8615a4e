/**
 * `npm run bench -- <name> [args…]` runs bench/<name>.ts, which prints one JSON object with its
 * figures (and the raw baselines it measured in the same run). Without a name: lists them.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'support.ts'].includes(f))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name> [args]\nbenchmarks: ${available.join(', ')}\n`);
  process.exit(name ? 2 : 0);
}
process.argv = [process.argv[0]!, `${here}${name}.ts`, ...args];
await import(`./${name}.ts`);
