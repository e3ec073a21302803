import {
  ErrorCodes,
  fileChunkSubject,
  fileChunksFilter,
  filesStreamName,
  ProtocolError,
} from '@enmesh/protocol';
import { JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { ChunkStore } from './context.js';

/**
 * Chunks in the files stream that broker-config declares: one message per subject `file.<id>.<index>` (the
 * stream keeps one per subject, so a repeated chunk replaces the earlier copy), read back by direct get.
 */
export function jetStreamChunkStore(js: JetStreamClient, jsm: JetStreamManager): ChunkStore {
  return {
    async put(fileId, index, data) {
      try {
        await js.publish(fileChunkSubject(fileId, index), data);
      } catch (error) {
        // The stream refuses new messages once its byte limit is reached (discard new).
        if (error instanceof JetStreamApiError && /maximum|insufficient|resources/i.test(error.message)) {
          throw new ProtocolError(ErrorCodes.fileStorageFull, 'the file storage is full', { cause: error });
        }
        throw error;
      }
    },
    async get(fileId, index) {
      const stored = await jsm.direct.getMessage(filesStreamName, {
        last_by_subj: fileChunkSubject(fileId, index),
      });
      return stored?.data ?? undefined;
    },
    async purge(fileId) {
      await jsm.streams.purge(filesStreamName, { filter: fileChunksFilter(fileId) });
    },
  };
}
