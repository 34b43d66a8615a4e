// Writes the printed SDL to schema/schema.graphql (`npm run schema`); a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printApiSchema } from '../src/schema/index.js';

const target = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
writeFileSync(target, printApiSchema());
process.stdout.write(`wrote ${target}\n`);
