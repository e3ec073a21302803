import { describe, expect, it } from 'vitest';
import { HybridClock } from './clock.js';
import { DatawalletState, type Modification } from './state.js';

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('the datawallet rule for concurrent edits', () => {
  it('lets the later stamp win per field, and keeps the fields another device set', () => {
    const state = new DatawalletState();
    const a = new HybridClock('DEVA', () => 1000);
    const b = new HybridClock('DEVB', () => 2000);
    state.apply({
      collection: 'notes',
      id: 'n1',
      type: 'set',
      fields: { title: 'A', color: 'red' },
      at: a.tick(),
    });
    state.apply({ collection: 'notes', id: 'n1', type: 'set', fields: { title: 'B' }, at: b.tick() });
    expect(state.get('notes', 'n1')).toEqual({ title: 'B', color: 'red' });
    // An older edit arriving late changes nothing.
    state.apply({ collection: 'notes', id: 'n1', type: 'set', fields: { title: 'old' }, at: a.tick() });
    expect(state.get('notes', 'n1')).toEqual({ title: 'B', color: 'red' });
  });

  it('hides what was set before a delete, and brings an object back with what was set after it', () => {
    const state = new DatawalletState();
    let now = 1000;
    const clock = new HybridClock('DEV', () => now);
    state.apply({ collection: 'c', id: 'x', type: 'set', fields: { a: 1, b: 2 }, at: clock.tick() });
    now += 1;
    state.apply({ collection: 'c', id: 'x', type: 'delete', at: clock.tick() });
    expect(state.get('c', 'x')).toBeUndefined();
    expect(state.list('c')).toEqual([]);
    now += 1;
    state.apply({ collection: 'c', id: 'x', type: 'set', fields: { b: 3 }, at: clock.tick() });
    expect(state.get('c', 'x')).toEqual({ b: 3 });
  });

  it('orders stamps of the same millisecond by counter, and after every stamp observed', () => {
    const clock = new HybridClock('DEVA', () => 5000);
    const first = clock.tick();
    const second = clock.tick();
    expect(second > first).toBe(true);
    clock.observe('0000000009000.000004.DEVB');
    expect(clock.tick() > '0000000009000.000004.DEVB').toBe(true);
  });

  it('converges: every order of the same modifications, with repeats, gives the same state', () => {
    const next = random(42);
    const devices = ['DEVA', 'DEVB', 'DEVC'].map((id) => {
      let now = 1_000_000;
      return { clock: new HybridClock(id, () => (now += Math.floor(next() * 3))) };
    });
    const modifications: Modification[] = [];
    for (let i = 0; i < 300; i++) {
      const device = devices[Math.floor(next() * devices.length)]!;
      const id = `o${Math.floor(next() * 8)}`;
      const at = device.clock.tick();
      modifications.push(
        next() < 0.2
          ? { collection: 'things', id, type: 'delete', at }
          : { collection: 'things', id, type: 'set', fields: { [`f${Math.floor(next() * 3)}`]: i }, at },
      );
    }
    const states = [0, 1, 2, 3].map((round) => {
      const state = new DatawalletState();
      const order =
        round === 0 ? modifications : shuffled([...modifications, ...modifications.slice(0, 50)], next);
      for (const modification of order) state.apply(modification);
      return state;
    });
    const reference = JSON.stringify(states[0]!.list('things'));
    expect(states[0]!.list('things').length).toBeGreaterThan(0);
    for (const state of states.slice(1)) expect(JSON.stringify(state.list('things'))).toBe(reference);
    // A state rebuilt from another's modifications is the same state.
    const rebuilt = new DatawalletState();
    for (const modification of states[1]!.toModifications()) rebuilt.apply(modification);
    expect(JSON.stringify(rebuilt.list('things'))).toBe(reference);
  });

  it('refuses malformed modifications without changing anything', () => {
    const state = new DatawalletState();
    const bad = [
      { collection: 'c', id: 'x', type: 'set', fields: { a: 1 }, at: 'yesterday' },
      { collection: 'c d', id: 'x', type: 'set', fields: { a: 1 }, at: '0000000001000.000000.DEV' },
      { collection: 'c', id: 'x', type: 'set', fields: ['a'], at: '0000000001000.000000.DEV' },
      { collection: 'c', id: 'x', type: 'rename', at: '0000000001000.000000.DEV' },
    ];
    for (const modification of bad) expect(state.apply(modification as Modification)).toBe(false);
    expect(state.toModifications()).toEqual([]);
  });
});
