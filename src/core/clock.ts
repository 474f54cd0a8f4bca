/**
 * The clock seam: wall time for certificate and signature validity, a
 * monotonic clock for durations. Tests pass a fixed clock.
 */
export interface Clock {
  /** Milliseconds since the epoch (wall time). */
  now(): number;
  /** Monotonic milliseconds, for measuring durations. */
  mono(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  mono: () => performance.now(),
};

/** A clock frozen at `epochMs` for wall time; monotonic time still advances. */
export function fixedClock(epochMs: number): Clock {
  return { now: () => epochMs, mono: () => performance.now() };
}
