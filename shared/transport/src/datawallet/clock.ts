/**
 * A hybrid logical clock: stamps that follow wall time but never go backwards and always exceed every stamp
 * this device has seen, so that "later" means the same on every device even when their clocks disagree.
 * A stamp is `<wall ms, 13 digits>.<counter, 6 digits>.<device id>`: comparing two stamps as strings orders
 * them by wall time, then counter, then device (the tie-break that makes the order total).
 */
export class HybridClock {
  readonly #device: string;
  readonly #now: () => number;
  #wall = 0;
  #counter = 0;

  /** A clock for one device; `now` is injectable for tests. */
  constructor(device: string, now: () => number = Date.now) {
    this.#device = device;
    this.#now = now;
  }

  /** A new stamp, later than every stamp issued or observed so far. */
  tick(): string {
    const now = this.#now();
    if (now > this.#wall) {
      this.#wall = now;
      this.#counter = 0;
    } else {
      this.#counter += 1;
    }
    return formatStamp(this.#wall, this.#counter, this.#device);
  }

  /** Moves the clock past a stamp from another device, so the next tick orders after it. */
  observe(stamp: string): void {
    const parsed = parseStamp(stamp);
    if (!parsed) return;
    if (parsed.wall > this.#wall || (parsed.wall === this.#wall && parsed.counter > this.#counter)) {
      this.#wall = parsed.wall;
      this.#counter = parsed.counter;
    }
  }
}

const STAMP = /^(\d{13})\.(\d{6})\.([A-Za-z0-9]{1,64})$/;

/** Whether a string is a well-formed stamp. */
export function isStamp(value: unknown): value is string {
  return typeof value === 'string' && STAMP.test(value);
}

function formatStamp(wall: number, counter: number, device: string): string {
  return `${String(wall).padStart(13, '0')}.${String(counter).padStart(6, '0')}.${device}`;
}

function parseStamp(stamp: string): { wall: number; counter: number } | undefined {
  const match = STAMP.exec(stamp);
  return match ? { wall: Number(match[1]), counter: Number(match[2]) } : undefined;
}
