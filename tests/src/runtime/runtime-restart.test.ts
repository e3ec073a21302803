import type { MessageDTO, RelationshipDTO } from '@enmesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestDatabase, type TestStack } from '../kit/stack.js';
import { relate, removeTestRuntime, startTestRuntime, type TestRuntime } from './runtime-kit.js';

const mail = (to: string, subject: string) => ({ '@type': 'Mail', to: [to], subject, body: '' });

describe.each<TestDatabase>(['sqlite', 'postgres'])(
  'a runtime restart (runtime database: %s)',
  (database) => {
    let stack: TestStack;
    let org: TestRuntime;
    let person: TestRuntime;

    beforeAll(async () => {
      stack = await startTestStack();
      [org, person] = await Promise.all([startTestRuntime(stack, { database }), startTestRuntime(stack)]);
    });

    afterAll(async () => {
      await Promise.all([org?.close(), person?.close()]);
      await Promise.all([org && removeTestRuntime(org), person && removeTestRuntime(person)]);
      await stack?.destroy();
    });

    it('resumes from the stored cursor: what came while it was down is delivered once, numbered on', async () => {
      const relationshipId = await relate(org, person);
      const orgAddress = org.runtime.account.address;
      const personAddress = person.runtime.account.address;
      const p = () => person.runtime.account.transport;
      const before = org.events.length;
      expect(before).toBe(2);
      await org.close();

      // While the organisation's runtime is down: two mails, then the person ends the relationship.
      const first = await p().messages.sendMessage({
        recipients: [orgAddress],
        content: mail(orgAddress, 'one'),
      });
      const second = await p().messages.sendMessage({
        recipients: [orgAddress],
        content: mail(orgAddress, 'two'),
      });
      await p().relationships.terminateRelationship({ relationshipId });

      org = await startTestRuntime(stack, { again: org });
      expect(org.runtime.account.address).toBe(orgAddress);
      await org.next(
        'transport.relationshipChanged',
        (data: RelationshipDTO) => data.status === 'Terminated',
      );
      expect(org.events.map((event) => [event.sequence, event.namespace])).toEqual([
        [3, 'transport.messageReceived'],
        [4, 'transport.messageReceived'],
        [5, 'transport.relationshipChanged'],
      ]);
      // The relationship keys survived the restart: the mails opened.
      expect(org.events.slice(0, 2).map((event) => (event.data as MessageDTO).content)).toEqual([
        mail(orgAddress, 'one'),
        mail(orgAddress, 'two'),
      ]);

      // A second restart delivers nothing again; the next news gets the next number.
      await org.close();
      org = await startTestRuntime(stack, { again: org });
      await p().relationships.requestRelationshipReactivation({ relationshipId });
      const reactivation = await org.next('transport.relationshipReactivationRequested');
      expect(org.events.map((event) => [event.sequence, event.namespace])).toEqual([
        [6, 'transport.relationshipChanged'],
        [7, 'transport.relationshipReactivationRequested'],
      ]);
      expect(reactivation.sequence).toBe(7);
      const o = () => org.runtime.account.transport;
      await o().relationships.acceptRelationshipReactivation({ relationshipId });
      await person.next('transport.relationshipReactivationCompleted');

      // The stored log holds every event once, in order.
      const stored = [];
      for await (const event of org.runtime.events.from(0)) {
        stored.push(event);
        if (event.sequence === 7) break;
      }
      expect(stored.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(new Set(stored.map((event) => event.id)).size).toBe(7);

      // Sending works after the restart too (the send keys were restored).
      const answer = await o().messages.sendMessage({
        recipients: [personAddress],
        content: mail(personAddress, 'back'),
      });
      await person.next('transport.messageReceived', (data: MessageDTO) => data.id === answer.id);

      // Lists come from local storage: they answer with the backbone stopped.
      await stack.stop();
      const messages = await o().messages.getMessages();
      expect(messages.map((message) => message.id)).toEqual([first.id, second.id, answer.id]);
      expect(await o().messages.getMessages({ query: { createdBy: personAddress } })).toHaveLength(2);
      const [relationship] = await o().relationships.getRelationships();
      expect(relationship).toMatchObject({ id: relationshipId, status: 'Active', peer: personAddress });
      expect(relationship?.auditLog.map((entry) => entry.reason)).toEqual([
        'Creation',
        'AcceptanceOfCreation',
        'Termination',
        'ReactivationRequested',
        'AcceptanceOfReactivation',
      ]);
      expect(
        await o().relationshipTemplates.getRelationshipTemplates({ query: { isOwn: true } }),
      ).toHaveLength(1);
    });
  },
);
