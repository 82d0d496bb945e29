// @vitest-environment node
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const src = new URL('./', import.meta.url);

async function sources(dir: URL): Promise<URL[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory()
    ? sources(new URL(`${e.name}/`, dir))
    : Promise.resolve(/\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [new URL(e.name, dir)] : []))));
  return nested.flat();
}

describe('the app', () => {
  it('never writes HTML from data: no innerHTML, outerHTML, insertAdjacentHTML or dangerouslySetInnerHTML', async () => {
    const offenders: string[] = [];
    for (const file of await sources(src)) {
      const text = await readFile(file, 'utf8');
      if (/\b(innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write)\b/.test(text)) offenders.push(file.pathname);
    }
    expect(offenders).toEqual([]);
  });
});
