// @vitest-environment node
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error - a plain .mjs script without types
import { generateFields, generateTypes } from '../../scripts/generate-types.mjs';

const root = new URL('../../', import.meta.url);

describe('the generated client', () => {
  it('matches openapi.json: run `npm run gen:api` after changing the API', async () => {
    const document = await readFile(new URL('openapi.json', root), 'utf8');
    expect(await readFile(new URL('src/api/schema.d.ts', root), 'utf8')).toBe(await generateTypes(document));
    expect(await readFile(new URL('src/api/schemaFields.ts', root), 'utf8')).toBe(generateFields(document));
  });
});
