/**
 * One promise, settled once, with a deadline: the "settle once with a timer"
 * pattern of every network step (a DNS query, a TCP connect, a TLS handshake,
 * an HTTP exchange, a QUIC handshake) written once. The body gets a settler;
 * whichever comes first, the body's settle or the deadline, wins, and later
 * calls do nothing. `cleanup` runs exactly once, right after settling.
 */

export interface Settler<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
  readonly settled: boolean;
}

export interface DeadlineOptions<T> {
  /** Milliseconds until `onTimeout` settles the promise (at least 1). */
  ms: number;
  /** The value at the deadline; throw to reject instead. */
  onTimeout: () => T;
  /** Runs once after settling, with the outcome: close sockets, clear other timers. */
  cleanup?: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => void;
}

export function withDeadline<T>(opts: DeadlineOptions<T>, body: (s: Settler<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: { ok: true; value: T } | { ok: false; error: unknown }): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      try {
        opts.cleanup?.(outcome);
      } finally {
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      }
    };
    const s: Settler<T> = {
      resolve: (value) => settle({ ok: true, value }),
      reject: (error) => settle({ ok: false, error }),
      get settled() {
        return settled;
      },
    };
    timer = setTimeout(() => {
      try {
        s.resolve(opts.onTimeout());
      } catch (err) {
        s.reject(err);
      }
    }, Math.max(1, opts.ms));
    try {
      body(s);
    } catch (err) {
      s.reject(err);
    }
  });
}
