import { readFile, writeFile } from 'node:fs/promises';
import { brokerPaths } from './server-config.js';
import type { BrokerSettings } from './settings.js';

/**
 * Records the shard count on first start and refuses a different one later: an identity's shard is its hash
 * modulo the count, so changing it would move every mailbox.
 * @throws Error naming both counts when the setting differs from the recorded layout.
 */
export async function checkMailboxLayout(settings: BrokerSettings): Promise<void> {
  const path = brokerPaths(settings.dataDir).layout;
  let recorded: { shardCount?: number } | undefined;
  try {
    recorded = JSON.parse(await readFile(path, 'utf8')) as { shardCount?: number };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (recorded === undefined) {
    await writeFile(path, JSON.stringify({ shardCount: settings.shardCount }), { mode: 0o600 });
    return;
  }
  if (recorded.shardCount !== settings.shardCount) {
    throw new Error(
      `this data directory was created with ${recorded.shardCount} mailbox shards; ` +
        `the setting asks for ${settings.shardCount}. The shard count cannot change.`,
    );
  }
}
