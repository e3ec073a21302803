import { ErrorCodes, ProtocolError, type RequestOf, type ResponseOf } from '@enmesh/protocol';
import { describe, expect, it } from 'vitest';
import { TransportError, TransportErrorCodes } from './errors.js';
import { type SendCalls, SendCoalescer } from './send-coalescer.js';

type SendRequest = RequestOf<'sendMessage'>;
type SendAnswer = ResponseOf<'sendMessage'>;

const recipient = 'did:e:localhost:dids:0123456789abcdef012345';

function request(id: string, envelopeChars = 100): SendRequest {
  return { id, kind: 'content', recipients: [recipient], envelope: 'A'.repeat(envelopeChars) };
}

function answerTo(body: SendRequest): SendAnswer {
  return {
    id: body.id,
    createdAt: '2026-01-01T00:00:00.000Z',
    recipients: body.recipients,
    copiedToOwnDevices: false,
  };
}

/** Calls that answer every message and record how the coalescer grouped them. */
function recordingCalls(answer: (body: SendRequest) => SendAnswer | ProtocolError = answerTo) {
  const requests: string[][] = [];
  const calls: SendCalls = {
    one: async (body) => {
      requests.push([body.id]);
      const outcome = answer(body);
      if (outcome instanceof ProtocolError) throw outcome;
      return outcome;
    },
    many: async (bodies) => {
      requests.push(bodies.map((body) => body.id));
      return {
        results: bodies.map((body) => {
          const outcome = answer(body);
          return outcome instanceof ProtocolError
            ? { error: { code: outcome.code, message: outcome.message } }
            : { result: outcome };
        }),
      };
    },
  };
  return { calls, requests };
}

describe('SendCoalescer', () => {
  it('sends messages started together in one request, each with its own answer', async () => {
    const { calls, requests } = recordingCalls();
    const coalescer = new SendCoalescer(calls);
    const ids = Array.from({ length: 10 }, (_, i) => `MSG${String(i).padStart(20, '0')}`);
    const answers = await Promise.all(ids.map((id) => coalescer.send(request(id))));
    expect(answers.map((answer) => answer.id)).toEqual(ids);
    expect(requests).toEqual([ids]);
  });

  it('sends a lone message with the single-message call', async () => {
    const { calls, requests } = recordingCalls();
    const answer = await new SendCoalescer(calls).send(request('MSG00000000000000000001'));
    expect(answer.id).toBe('MSG00000000000000000001');
    expect(requests).toEqual([['MSG00000000000000000001']]);
  });

  it('rejects only the message the backbone refused, with its code', async () => {
    const refused = 'MSG00000000000000000002';
    const { calls } = recordingCalls((body) =>
      body.id === refused
        ? new ProtocolError(ErrorCodes.messageNoRelationship, 'no relationship allows this message')
        : answerTo(body),
    );
    const coalescer = new SendCoalescer(calls);
    const outcomes = await Promise.allSettled(
      ['MSG00000000000000000001', refused, 'MSG00000000000000000003'].map((id) =>
        coalescer.send(request(id)),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = (outcomes[1] as PromiseRejectedResult).reason as ProtocolError;
    expect(failure).toBeInstanceOf(ProtocolError);
    expect(failure.code).toBe(ErrorCodes.messageNoRelationship);
  });

  it('fails every message of a request that failed as a whole, so each can be retried', async () => {
    const lost = new TransportError(TransportErrorCodes.notConnected, 'cannot reach the backbone');
    const coalescer = new SendCoalescer({
      one: () => Promise.reject(lost),
      many: () => Promise.reject(lost),
    });
    const outcomes = await Promise.allSettled(
      ['MSG00000000000000000001', 'MSG00000000000000000002'].map((id) => coalescer.send(request(id))),
    );
    expect(outcomes).toEqual([
      { status: 'rejected', reason: lost },
      { status: 'rejected', reason: lost },
    ]);
  });

  it('keeps each request within the payload limit: messages that would not fit together go apart', async () => {
    const { calls, requests } = recordingCalls();
    const coalescer = new SendCoalescer(calls);
    // Two envelopes of 150,000 characters each would exceed the 256 KiB a device may publish together.
    const large = ['MSG00000000000000000001', 'MSG00000000000000000002'];
    const small = 'MSG00000000000000000003';
    await Promise.all([
      coalescer.send(request(large[0]!, 150_000)),
      coalescer.send(request(large[1]!, 150_000)),
      coalescer.send(request(small)),
    ]);
    expect(requests.flat().sort()).toEqual([...large, small].sort());
    expect(requests.some((ids) => ids.includes(large[0]!) && ids.includes(large[1]!))).toBe(false);
  });

  it('does not send a message whose caller cancelled it while it waited', async () => {
    const { calls, requests } = recordingCalls();
    const coalescer = new SendCoalescer(calls);
    const controller = new AbortController();
    const kept = coalescer.send(request('MSG00000000000000000001'));
    const cancelled = coalescer.send(request('MSG00000000000000000002'), { signal: controller.signal });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: TransportErrorCodes.aborted });
    await kept;
    expect(requests.flat()).toEqual(['MSG00000000000000000001']);
  });
});
