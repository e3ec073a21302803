import { filesStreamName, filesStreamSubjects, Limits } from '@enmesh/protocol';
import {
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { type BrokerSettings, filesStreamBytes } from './settings.js';

/**
 * The config of the files stream: one message per chunk subject `file.<id>.<index>` (a repeated upload of a
 * chunk replaces it), bounded in bytes, refusing new chunks when full rather than dropping stored ones. Only
 * the files actor reads it (direct gets by subject); devices have no JetStream access to it.
 */
export function filesStreamConfig(settings: BrokerSettings): Partial<StreamConfig> & { name: string } {
  return {
    name: filesStreamName,
    subjects: [filesStreamSubjects],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: 1,
    max_bytes: filesStreamBytes(settings),
    // A sealed chunk and its subject, with room to spare.
    max_msg_size: Limits.fileChunkBytes + 64 * 1024,
    max_msgs_per_subject: 1,
    discard: DiscardPolicy.New,
    allow_direct: true,
    deny_delete: true,
    deny_purge: false,
  };
}

/** Creates the files stream, or updates it to the declared config; safe to run at every start. */
export async function applyFilesStream(jsm: JetStreamManager, settings: BrokerSettings): Promise<void> {
  const config = filesStreamConfig(settings);
  const exists = await jsm.streams.info(config.name).then(
    () => true,
    () => false,
  );
  if (exists) await jsm.streams.update(config.name, config);
  else await jsm.streams.add(config);
}
