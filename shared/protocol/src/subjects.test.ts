import { describe, expect, it } from 'vitest';
import {
  bootstrapRequestSubject,
  deviceRequestSubject,
  identityToken,
  mailboxShard,
  mailboxStreamName,
  mailboxSubject,
  parseRequestSubject,
} from './subjects.js';

const device = `U${'A'.repeat(55)}`;

describe('subjects', () => {
  it('takes the NATS-safe token from an address and refuses other text', () => {
    expect(identityToken('did:e:localhost:dids:0123456789abcdef01')).toBe('0123456789abcdef01');
    for (const bad of [
      'did:e:localhost:dids:ABC',
      'did:x:h:dids:0123456789',
      'mbx.>',
      'did:e:h:dids:01234567.x',
    ]) {
      expect(() => identityToken(bad), bad).toThrow(/not an identity address/);
    }
  });

  it('spreads identities over the shards, stably', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[mailboxShard(i.toString(16).padStart(16, '0'), 8)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
    expect(mailboxShard('0123456789abcdef', 64)).toBe(mailboxShard('0123456789abcdef', 64));
    const token = '0123456789abcdef';
    expect(mailboxSubject(token, 64)).toBe(`mbx.${mailboxShard(token, 64)}.${token}`);
    expect(mailboxStreamName(3)).toBe('mbx_3');
  });

  it('parses only well-formed request subjects', () => {
    expect(parseRequestSubject(deviceRequestSubject('0123456789ab', device, 'devices', 'list'))).toEqual({
      kind: 'device',
      identityToken: '0123456789ab',
      deviceKey: device,
      service: 'devices',
      operation: 'list',
    });
    expect(parseRequestSubject(bootstrapRequestSubject('challenges', 'create'))).toEqual({
      kind: 'bootstrap',
      service: 'challenges',
      operation: 'create',
    });
    for (const bad of [
      'bb.req.0123456789ab.x.devices.list',
      `bb.req.0123456789ab.${device}.devices`,
      `bb.req.0123456789ab.${device}.devices.list.extra`,
      `bb.req.ZZZ.${device}.devices.list`,
      'bb.pub.challenges',
      'bb.pub.challenges.create.x',
      'mbx.1.0123456789ab',
      `bb.req.0123456789ab.${device}.devices.1list`,
    ]) {
      expect(parseRequestSubject(bad), bad).toBeUndefined();
    }
  });
});
