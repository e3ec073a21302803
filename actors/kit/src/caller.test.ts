import { parseRequestSubject } from '@enmesh/protocol';
import { headers, type Msg } from '@nats-io/nats-core';
import { describe, expect, it } from 'vitest';
import { authenticateCaller } from './caller.js';

const trust = { deviceAccount: 'ADEV', bootstrapUser: 'UBOOT' };
const device = `U${'B'.repeat(55)}`;
const subject = parseRequestSubject(`bb.req.0123456789ab.${device}.devices.list`)!;

function msg(info?: object | string, extra?: object): Msg {
  const h = headers();
  if (info !== undefined)
    h.append('Nats-Request-Info', typeof info === 'string' ? info : JSON.stringify(info));
  if (extra) h.append('Nats-Request-Info', JSON.stringify(extra));
  return { headers: h } as unknown as Msg;
}

describe('authenticateCaller', () => {
  it('accepts the device the server attested, for its own identity', () => {
    const caller = authenticateCaller(
      msg({ acc: 'ADEV', user: device, tags: ['identity:0123456789ab'] }),
      subject,
      trust,
    );
    expect(caller).toEqual({ kind: 'device', identityToken: '0123456789ab', deviceKey: device });
  });

  it.each([
    ['no header', undefined],
    ['unreadable header', '{nope'],
    ['another account', { acc: 'AAPP', user: device, tags: ['identity:0123456789ab'] }],
    ['another device', { acc: 'ADEV', user: `U${'C'.repeat(55)}`, tags: ['identity:0123456789ab'] }],
    ['another identity', { acc: 'ADEV', user: device, tags: ['identity:ffffffffffff'] }],
    ['no tags', { acc: 'ADEV', user: device }],
  ])('refuses %s', (_name, info) => {
    expect(() => authenticateCaller(msg(info), subject, trust)).toThrow(
      expect.objectContaining({ code: 'error.protocol.unauthorized' }),
    );
  });

  it('refuses two caller headers', () => {
    const info = { acc: 'ADEV', user: device, tags: ['identity:0123456789ab'] };
    expect(() => authenticateCaller(msg(info, info), subject, trust)).toThrow(/not authorised/);
  });

  it('accepts only the bootstrap user on bootstrap subjects, and reports its host', () => {
    const pub = parseRequestSubject('bb.pub.challenges.create')!;
    expect(authenticateCaller(msg({ acc: 'ADEV', user: 'UBOOT', host: '10.1.2.3' }), pub, trust)).toEqual({
      kind: 'bootstrap',
      host: '10.1.2.3',
    });
    expect(() => authenticateCaller(msg({ acc: 'ADEV', user: device }), pub, trust)).toThrow(/bootstrap/);
  });
});
