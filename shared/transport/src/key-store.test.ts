import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileKeyStore, MemoryKeyStore } from './key-store.js';

describe('FileKeyStore', () => {
  it('keeps keys in a 0700 directory as 0600 files and reads them back', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'keys-')), 'store');
    const store = new FileKeyStore(dir);
    expect(await store.load('device')).toBeUndefined();
    await store.save('device', new Uint8Array([1, 2, 3]));
    expect(await store.load('device')).toEqual(new Uint8Array([1, 2, 3]));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'device'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['device']);
    await store.remove('device');
    expect(await store.load('device')).toBeUndefined();
    expect(String(store)).not.toContain('\u0001');
  });

  it('refuses names that could leave the directory', async () => {
    const store = new FileKeyStore(await mkdtemp(join(tmpdir(), 'keys-')));
    for (const name of ['../x', '.hidden', 'a/b', '']) {
      await expect(store.save(name, new Uint8Array(1)), name).rejects.toMatchObject({
        code: 'error.transport.keyStore',
      });
    }
  });
});

describe('MemoryKeyStore', () => {
  it('returns copies, so callers cannot change stored keys', async () => {
    const store = new MemoryKeyStore();
    const value = new Uint8Array([9]);
    await store.save('k', value);
    value[0] = 0;
    expect(await store.load('k')).toEqual(new Uint8Array([9]));
  });
});
