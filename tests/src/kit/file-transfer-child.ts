/**
 * One side of the large-file test, in a process of its own so that its peak memory can be measured:
 *
 *   node --import tsx file-transfer-child.ts upload|download
 *
 * Reads its task from ENMESH_FILE_TRANSFER (JSON: endpoint, device secrets, peer address, size, seed),
 * prints one JSON line starting with `result ` at the end, with `maxRssKiB` from `process.resourceUsage()`.
 * The uploader streams pseudo-random bytes (never the whole file in memory), uploads them and sends a
 * message with the file attached; the downloader waits for that message and streams the attachment into a
 * SHA-256 hash.
 */
import { createHash } from 'node:crypto';
import { decodeDeviceSecrets, TransportAccount } from '@enmesh/transport';
import { pseudoRandomBytes } from './files.js';

interface Task {
  readonly endpoint: { servers: string };
  readonly secrets: string;
  readonly peer: string;
  readonly size: number;
  readonly seed: string;
}

const mode = process.argv[2];
const task = JSON.parse(process.env.ENMESH_FILE_TRANSFER ?? '{}') as Task;
const account = await TransportAccount.open(
  task.endpoint,
  decodeDeviceSecrets(Buffer.from(task.secrets, 'base64url')),
);
const events = account.events({ cursor: 0 });
const report = (result: Record<string, unknown>) =>
  console.log(`result ${JSON.stringify({ ...result, maxRssKiB: process.resourceUsage().maxRSS })}`);

if (mode === 'upload') {
  // The relationship keys come from the mailbox: wait until the peer's relationship is known as Active.
  for await (const _ of events) {
    if (account.state.keysForPeer(task.peer, ['Active'])) break;
  }
  const started = performance.now();
  const file = await account.uploadFile(pseudoRandomBytes(task.seed, task.size), {
    name: 'large.bin',
    mimeType: 'application/octet-stream',
    size: task.size,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const ms = performance.now() - started;
  await account.sendMessage([task.peer], { text: 'a large file' }, { attachments: [file.reference] });
  report({ sha256: file.sha256, ms });
} else {
  let reference: string | undefined;
  for await (const event of events) {
    if (event.type === 'messageReceived' && event.message.sender === task.peer) {
      reference = event.message.fileReferences[0];
      break;
    }
  }
  if (!reference) throw new Error('no attachment arrived');
  const hash = createHash('sha256');
  let bytes = 0;
  const started = performance.now();
  const file = await account.downloadFile(reference, (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  const ms = performance.now() - started;
  report({ sha256: hash.digest('hex'), bytes, name: file.name, metadataSha256: file.sha256, ms });
}
await account.close();
process.exit(0);
