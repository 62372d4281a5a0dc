/**
 * Admission gates an Exec passes, innermost first, before it may run: one per ancestor with
 * maxConcurrent, one per "new" reuse group (one at a time), then the cpu/mem budget. Waiters sit in
 * FIFO queues inside the gate that blocks them, so a released slot wakes exactly the work it can admit
 * instead of rescanning every queued Exec (10,000 queued Execs must stay cheap).
 *
 * Gates are always entered in the same global order (deeper first, the budget last), so Execs holding
 * inner slots while waiting on outer ones can never deadlock.
 */
import { Fifo } from './fifo.ts';

/** An Exec's place in line. */
export interface Ticket {
  /** Arrival order; the budget admits the earliest arrival that fits. */
  readonly seq: number;
  /** Reservation in milli-CPUs and MB (integers, so sums never drift). */
  readonly cpu: number;
  /** Memory reservation in MB. */
  readonly mem: number;
  /** Set when the Exec no longer wants in (cancel, kill, reset); gates drop it lazily. */
  cancelled: boolean;
  /** Called when a gate admits the ticket after it had to wait. */
  resume(): void;
}

/** One admission limit an Exec must pass before it runs. */
export interface Gate {
  /** Admits at once (true) or queues the ticket until resume() (false). */
  tryEnter(ticket: Ticket): boolean;
  /** Gives back what `ticket` held and admits waiters that now fit. */
  leave(ticket: Ticket): void;
}

/** At most `limit` tickets inside at once. */
export class CountGate implements Gate {
  private inUse = 0;
  private readonly waiters = new Fifo<Ticket>();
  /** @param limit how many tickets may be inside at once */
  constructor(readonly limit: number) {}

  /** Admits when fewer than `limit` are inside, else queues the ticket in arrival order. */
  tryEnter(ticket: Ticket): boolean {
    if (this.inUse < this.limit) { this.inUse++; return true; }
    this.waiters.push(ticket);
    return false;
  }

  /** Frees one place and admits queued tickets (skipping cancelled ones) while places remain. */
  leave(): void {
    this.inUse--;
    while (this.inUse < this.limit) {
      const next = this.waiters.shift();
      if (!next) break;
      if (next.cancelled) continue;
      this.inUse++;
      next.resume();
    }
  }
}

/** The cpu/mem budget. Waiters are bucketed by reservation size so admission looks at one head per size. */
export class ResourceGate implements Gate {
  private freeCpu: number;
  private freeMem: number;
  private readonly buckets = new Map<string, Fifo<Ticket>>();
  /** @param capacity the whole budget, in milli-CPUs and MB */
  constructor(capacity: { cpu: number; mem: number }) {
    this.freeCpu = capacity.cpu;
    this.freeMem = capacity.mem;
  }

  /** Admits when the reservation fits what is free, else queues the ticket by reservation size. */
  tryEnter(ticket: Ticket): boolean {
    if (this.fits(ticket)) { this.take(ticket); return true; }
    const key = `${ticket.cpu}:${ticket.mem}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new Fifo()));
    bucket.push(ticket);
    return false;
  }

  /** Returns the ticket's cpu and mem and admits waiters that now fit. */
  leave(ticket: Ticket): void {
    this.freeCpu += ticket.cpu;
    this.freeMem += ticket.mem;
    this.admitWaiting();
  }

  /**
   * Takes the ticket's cpu and mem only if they fit now and nobody is waiting (a reservation made ahead
   * of need must never overtake an Exec already in line); never queues. Give it back with leave().
   */
  tryReserve(ticket: Ticket): boolean {
    for (const bucket of this.buckets.values()) {
      while (bucket.peek()?.cancelled) bucket.shift();
      if (bucket.peek()) return false;
    }
    if (!this.fits(ticket)) return false;
    this.take(ticket);
    return true;
  }

  private fits(t: Ticket): boolean { return t.cpu <= this.freeCpu && t.mem <= this.freeMem; }

  private take(t: Ticket): void {
    this.freeCpu -= t.cpu;
    this.freeMem -= t.mem;
  }

  private admitWaiting(): void {
    for (;;) {
      let best: Fifo<Ticket> | undefined;
      for (const [key, bucket] of this.buckets) {
        while (bucket.peek()?.cancelled) bucket.shift();
        const head = bucket.peek();
        if (!head) { this.buckets.delete(key); continue; }
        if (this.fits(head) && (!best || head.seq < best.peek()!.seq)) best = bucket;
      }
      if (!best) return;
      const ticket = best.shift()!;
      this.take(ticket);
      ticket.resume();
    }
  }
}
