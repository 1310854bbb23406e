/**
 * Events pushed by a running job, read with `for await`: buffered until read, ended when the
 * job ends. One reader; a second `iterate()` call gets what the first has not taken.
 */
export class EventQueue<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  end(): void {
    this.ended = true;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = null;
      wake({ value: undefined, done: true });
    }
  }

  iterate(): AsyncIterableIterator<T> {
    const next = (): Promise<IteratorResult<T>> => {
      const item = this.items.shift();
      if (item !== undefined) return Promise.resolve({ value: item, done: false });
      if (this.ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        this.waiting = resolve;
      });
    };
    const iterator: AsyncIterableIterator<T> = {
      next,
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
