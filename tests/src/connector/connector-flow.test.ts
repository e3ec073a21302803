import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import { waitFor } from '../kit/wait.js';
import {
  type ApiAnswer,
  adminKey,
  decodeQr,
  removeTestConnector,
  startTestConnector,
  type TestConnector,
  until,
  WebhookReceiver,
} from './connector-kit.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const mail = (to: string, subject: string) => ({
  '@type': 'Mail',
  to: [to],
  subject,
  body: `${subject} body`,
  bodyFormat: 'PlainText',
});
const ok = (answer: ApiAnswer, status = 200) => {
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
  return answer.body?.result;
};

/**
 * Two organisations' connectors on one backbone, driven through their REST APIs only: a relationship from a
 * template handed out as a QR code of a token, mails both ways, a file uploaded as multipart, sent as an
 * attachment and downloaded by the peer, the relationship terminated and decomposed; the events reach a
 * webhook receiver.
 */
describe('two connectors over one backbone, through HTTP', () => {
  let stack: TestStack;
  let org: TestConnector;
  let person: TestConnector;
  const hooks = new WebhookReceiver();

  beforeAll(async () => {
    stack = await startTestStack();
    await hooks.start();
    [org, person] = await Promise.all([
      startTestConnector(stack, { webhookUrl: hooks.url }),
      startTestConnector(stack),
    ]);
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await hooks.stop();
    await Promise.all([removeTestConnector(org), removeTestConnector(person)]);
    await stack?.destroy();
  });

  it('relates, exchanges mail and a file, terminates and decomposes; webhooks get the events', async () => {
    const orgAddress = ok(await org.api('GET', 'Account/IdentityInfo')).address as string;
    const personAddress = ok(await person.api('GET', 'Account/IdentityInfo')).address as string;
    expect(orgAddress).not.toBe(personAddress);
    const health = (await (await fetch(`${org.base}/health`)).json()) as { services: Record<string, string> };
    expect(health.services.backbone).toBe('healthy');

    // The organisation offers a template; its token travels as a QR code.
    const offer = { '@type': 'ArbitraryRelationshipTemplateContent', value: { title: 'Join us' } };
    const template = ok(
      await org.api('POST', 'RelationshipTemplates/Own', { content: offer, expiresAt: inDays(1) }),
      201,
    );
    expect(template).toMatchObject({ isOwn: true, createdBy: orgAddress, content: offer });
    const templateQr = await org.api('GET', `RelationshipTemplates/${template.id}`, undefined, {
      'X-API-KEY': adminKey,
      accept: 'image/png',
    });
    expect(templateQr.headers.get('content-type')).toBe('image/png');
    expect(decodeQr(templateQr.bytes)).toBe(template.reference.url);
    const tokenQr = await org.api(
      'POST',
      `RelationshipTemplates/Own/${template.id}/Token`,
      {},
      { 'X-API-KEY': adminKey, accept: 'image/png', 'content-type': 'application/json' },
    );
    expect(tokenQr.status).toBe(201);
    const tokenReference = decodeQr(tokenQr.bytes);
    expect(tokenReference).toMatch(/#/);

    // The person scans it, loads the template and asks for a relationship.
    const loaded = ok(
      await person.api('POST', 'RelationshipTemplates/Peer', { reference: tokenReference }),
      201,
    );
    expect(loaded).toMatchObject({ id: template.id, isOwn: false, createdBy: orgAddress, content: offer });
    expect(ok(await person.api('PUT', 'Relationships/CanCreate', { templateId: template.id }))).toEqual({
      isSuccess: true,
    });
    const creationContent = { '@type': 'ArbitraryRelationshipCreationContent', value: { name: 'Ada' } };
    const pending = ok(
      await person.api('POST', 'Relationships', { templateId: template.id, creationContent }),
      201,
    );
    expect(pending).toMatchObject({ status: 'Pending', peer: orgAddress, templateId: template.id });

    // The organisation sees the request and accepts it.
    const seen = await until(
      () => org.api('GET', `Relationships?status=Pending&peer=${personAddress}`),
      (answer) => answer.body.result.length === 1,
      'the request at the organisation',
    );
    expect(seen.body.result[0]).toMatchObject({ id: pending.id, creationContent });
    expect(ok(await org.api('PUT', `Relationships/${pending.id}/Accept`)).status).toBe('Active');
    await until(
      () => person.api('GET', `Relationships/${pending.id}`),
      (answer) => answer.body.result.status === 'Active',
      'the relationship active at the person',
    );

    // Mail both ways.
    const toPerson = ok(
      await org.api('POST', 'Messages', {
        recipients: [personAddress],
        content: mail(personAddress, 'Welcome'),
      }),
      201,
    );
    const received = await until(
      () => person.api('GET', `Messages?content.@type=Mail&createdBy=${orgAddress}`),
      (answer) => answer.body.result.length === 1,
      'the welcome mail',
    );
    expect(received.body.result[0]).toMatchObject({
      id: toPerson.id,
      isOwn: false,
      content: { subject: 'Welcome' },
    });
    ok(
      await person.api('POST', 'Messages', { recipients: [orgAddress], content: mail(orgAddress, 'Thanks') }),
      201,
    );
    await until(
      () => org.api('GET', `Messages?participant=${personAddress}&isOwn=!`),
      (answer) =>
        answer.body.result.some((m: { content: { subject: string } }) => m.content.subject === 'Thanks'),
      'the thanks mail',
    );

    // A file, uploaded as multipart, sent as an attachment and downloaded by the organisation.
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'cv.pdf');
    form.append('title', 'Curriculum vitae');
    form.append('expiresAt', inDays(2));
    const file = ok(await person.api('POST', 'Files/Own', form), 201);
    expect(file).toMatchObject({
      isOwn: true,
      filename: 'cv.pdf',
      filesize: bytes.length,
      title: 'Curriculum vitae',
    });
    const withFile = ok(
      await person.api('POST', 'Messages', {
        recipients: [orgAddress],
        content: mail(orgAddress, 'My CV'),
        attachments: [file.id],
      }),
      201,
    );
    await until(
      () => org.api('GET', `Messages?attachments=${file.id}`),
      (answer) => answer.body.result.length === 1,
      'the message with the file',
    );
    const message = ok(await org.api('GET', `Messages/${withFile.id}`));
    expect(message.attachments).toEqual([
      expect.objectContaining({ id: file.id, filename: 'cv.pdf', isOwn: false }),
    ]);
    const attachment = ok(await org.api('GET', `Messages/${withFile.id}/Attachments/${file.id}`));
    expect(attachment.filesize).toBe(bytes.length);
    const download = await org.api('GET', `Messages/${withFile.id}/Attachments/${file.id}/Download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(download.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(ok(await org.api('GET', 'Files/Peer')).map((f: { id: string }) => f.id)).toEqual([file.id]);

    // Terminated by the organisation, decomposed by the person.
    expect(ok(await org.api('PUT', `Relationships/${pending.id}/Terminate`)).status).toBe('Terminated');
    await until(
      () => person.api('GET', `Relationships/${pending.id}`),
      (answer) => answer.body.result.status === 'Terminated',
      'the termination at the person',
    );
    expect((await person.api('DELETE', `Relationships/${pending.id}`)).status).toBe(204);
    const gone = await person.api('GET', `Relationships/${pending.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('error.connector.recordNotFound');
    await until(
      () => org.api('GET', `Relationships/${pending.id}`),
      (answer) => answer.body.result.status === 'DeletionProposed',
      'the decomposition at the organisation',
    );

    // The organisation's events reached its webhook, in sequence order, each once.
    await waitFor(
      () => hooks.received.some((d) => d.body.data?.status === 'DeletionProposed'),
      'the last relationship change at the webhook',
      10_000,
    );
    const triggers = hooks.received.map((d) => d.body.trigger);
    expect(triggers).toEqual(
      expect.arrayContaining([
        'transport.relationshipChanged',
        'transport.messageSent',
        'transport.messageReceived',
      ]),
    );
    const sequences = hooks.received.map((d) => Number(d.headers['x-enmesh-event-sequence']));
    expect(sequences).toEqual(sequences.map((_, i) => i + 1));
    const ids = hooks.received.map((d) => d.headers['x-enmesh-event-id']);
    expect(new Set(ids).size).toBe(ids.length);
    const events = ok(await org.api('GET', `Events?from=1&limit=100`));
    expect(events.map((e: { id: string }) => e.id)).toEqual(ids);
  });
});
