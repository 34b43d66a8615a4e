import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.ts';
import { printApiSchema } from '../../src/schema/index.js';

const root = new URL('../../', import.meta.url);

describe('generated artifacts are fresh', () => {
  it('schema/schema.graphql matches the Pothos schema (run `npm run schema`)', () => {
    expect(readFileSync(new URL('schema/schema.graphql', root), 'utf8')).toBe(printApiSchema());
  });

  it('test/generated matches the schema and operations (run `npm run codegen`)', async () => {
    const outputs = (await generate({ ...config, cwd: root.pathname, silent: true }, false)) as Array<{
      filename: string;
      content: string;
    }>;
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      expect(readFileSync(new URL(output.filename, root), 'utf8'), output.filename).toBe(output.content);
    }
  });
});
