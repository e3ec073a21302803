import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TransportError, TransportErrorCodes } from './errors.js';

/**
 * Where a client keeps its secrets (identity key, device seed). Pluggable: a file store for Node, an OS
 * keychain or an encrypted store elsewhere. Names are plain identifiers chosen by the SDK.
 */
export interface KeyStore {
  /** Returns the stored bytes, or undefined when nothing is stored under the name. */
  load(name: string): Promise<Uint8Array | undefined>;
  /** Stores bytes under a name, replacing what was there. */
  save(name: string, value: Uint8Array): Promise<void>;
  /** Removes a name; removing a missing name is not an error. */
  remove(name: string): Promise<void>;
}

const namePattern = /^[A-Za-z0-9._-]{1,128}$/;

function checkName(name: string): void {
  if (!namePattern.test(name) || name.startsWith('.')) {
    throw new TransportError(
      TransportErrorCodes.keyStore,
      'key names are 1-128 letters, digits, ".", "_" or "-"',
    );
  }
}

/** A key store in a directory (mode 0700), one file per key (mode 0600), written atomically. */
export class FileKeyStore implements KeyStore {
  readonly #dir: string;

  /** Uses (and creates on first write) the given directory. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** @inheritdoc */
  async load(name: string): Promise<Uint8Array | undefined> {
    checkName(name);
    try {
      return new Uint8Array(await readFile(join(this.#dir, name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new TransportError(TransportErrorCodes.keyStore, `cannot read key ${name}`, { cause: error });
    }
  }

  /** @inheritdoc */
  async save(name: string, value: Uint8Array): Promise<void> {
    checkName(name);
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      await chmod(this.#dir, 0o700);
      const path = join(this.#dir, name);
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, value, { mode: 0o600 });
      await rename(temporary, path);
    } catch (error) {
      throw new TransportError(TransportErrorCodes.keyStore, `cannot write key ${name}`, { cause: error });
    }
  }

  /** @inheritdoc */
  async remove(name: string): Promise<void> {
    checkName(name);
    await rm(join(this.#dir, name), { force: true });
  }

  /** Never prints the directory's contents. */
  toString(): string {
    return `FileKeyStore(${this.#dir})`;
  }
}

/** A key store in memory, for tests and short-lived tools. */
export class MemoryKeyStore implements KeyStore {
  readonly #entries = new Map<string, Uint8Array>();

  /** @inheritdoc */
  async load(name: string): Promise<Uint8Array | undefined> {
    checkName(name);
    const value = this.#entries.get(name);
    return value ? new Uint8Array(value) : undefined;
  }

  /** @inheritdoc */
  async save(name: string, value: Uint8Array): Promise<void> {
    checkName(name);
    this.#entries.set(name, new Uint8Array(value));
  }

  /** @inheritdoc */
  async remove(name: string): Promise<void> {
    this.#entries.delete(name);
  }

  /** Never prints the keys. */
  toString(): string {
    return `MemoryKeyStore(${this.#entries.size} keys)`;
  }
}
