import { type EntityManager, In } from 'typeorm';
import { MessageEntity, MessageRecipientEntity, MessageSendCountEntity } from './entities.js';

/**
 * Removes the delivery records of an identity (identity deletion): the messages it sent with their
 * recipient rows, and its rows as a recipient of others' messages. What it sent stays in its peers'
 * mailboxes, sealed: that is their copy. Its send counts go too. Idempotent: a second run finds nothing.
 */
export async function purgeIdentityMessages(m: EntityManager, identityToken: string): Promise<void> {
  await m.getRepository(MessageSendCountEntity).delete({ senderToken: identityToken });
  await m.getRepository(MessageRecipientEntity).delete({ recipientToken: identityToken });
  const sent = await m
    .getRepository(MessageEntity)
    .find({ select: { id: true }, where: { senderToken: identityToken } });
  for (let i = 0; i < sent.length; i += 500) {
    const ids = sent.slice(i, i + 500).map((row) => row.id);
    await m.getRepository(MessageRecipientEntity).delete({ messageId: In(ids) });
    await m.getRepository(MessageEntity).delete({ id: In(ids) });
  }
}
