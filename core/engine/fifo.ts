/**
 * A first-in-first-out queue with O(1) push and shift (Array#shift is O(n), which turns a 10,000-entry
 * queue into quadratic work).
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** Number of items queued. */
  get size(): number { return this.items.length - this.head; }

  /** Adds at the tail. */
  push(item: T): void { this.items.push(item); }

  /** The head without removing it (undefined when empty). */
  peek(): T | undefined { return this.items[this.head]; }

  /** Removes and returns the head (undefined when empty). */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact once the dead prefix dominates, keeping memory proportional to the live entries.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
