import type { QuotaTiers, SqlStore } from '@enmesh/actor-kit';

/** Where the sealed chunks live (JetStream in production; the actor never sees plaintext). */
export interface ChunkStore {
  /**
   * Stores chunk `index` of a file, replacing an earlier copy of the same chunk.
   * @throws ProtocolError `error.files.storageFull` when the store refuses more bytes.
   */
  put(fileId: string, index: number, data: Uint8Array): Promise<void>;
  /** Reads chunk `index` of a file; undefined when it is not stored. */
  get(fileId: string, index: number): Promise<Uint8Array | undefined>;
  /** Removes every chunk of a file. */
  purge(fileId: string): Promise<void>;
}

/** What the files actor needs, passed in by the composition root. */
export interface FilesDeps {
  readonly store: SqlStore;
  readonly chunks: ChunkStore;
  readonly clock: () => number;
  readonly settings: {
    readonly backboneHost: string;
    /** Largest file, in plaintext bytes (`ENMESH_FILE_MAX_BYTES`). */
    readonly fileMaxBytes: number;
    /** Files and storage bytes each identity may hold, per tier. */
    readonly quotas: QuotaTiers;
  };
}
