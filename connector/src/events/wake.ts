/**
 * A sleep that ends early: `wait(ms)` resolves after `ms` or at the next `wake()`, whichever comes first.
 * Wakes that happen while nobody waits are remembered once, so a notification between a check and the
 * wait is not lost.
 */
export class WakeSignal {
  #pending = false;
  #resolve: (() => void) | undefined;

  /** Ends the current wait, or the next one if none is running. */
  wake(): void {
    if (this.#resolve) {
      const resolve = this.#resolve;
      this.#resolve = undefined;
      resolve();
    } else {
      this.#pending = true;
    }
  }

  /** Waits up to `ms`; resolves `true` when woken, `false` on timeout. */
  wait(ms: number): Promise<boolean> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#resolve = undefined;
        resolve(false);
      }, ms);
      this.#resolve = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
