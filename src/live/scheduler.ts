/**
 * At most one frame per interval however fast records arrive: changes mark the dashboard dirty,
 * and a timer draws it once the interval since the last frame has passed. A slow heartbeat keeps
 * the clock in the header moving when the job is quiet. Timers are injectable for tests.
 */

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending frame must not keep the process alive.
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SchedulerOptions {
  /** Least time between frames, ms. Default 100 (10 frames a second). */
  interval?: number;
  /** A frame at least this often even without changes, ms (the elapsed time moves). Default 1000. */
  heartbeat?: number;
  timers?: Timers;
}

export class FrameScheduler {
  private last = -Infinity;
  private timer: unknown;
  /** When the pending timer fires (timers.now() time). */
  private due = Infinity;
  private dirty = false;
  private stopped = false;
  private readonly interval: number;
  private readonly heartbeat: number;
  private readonly timers: Timers;

  /** @param draw draws a frame; returns false if it could not draw now (then it is retried). */
  constructor(
    private readonly draw: () => boolean,
    options: SchedulerOptions = {},
  ) {
    this.interval = options.interval ?? 100;
    this.heartbeat = options.heartbeat ?? 1000;
    this.timers = options.timers ?? realTimers;
  }

  /** Something changed: a frame will follow within the interval. */
  invalidate(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.arm(Math.max(0, this.last + this.interval - this.timers.now()));
  }

  /** Starts the heartbeat. */
  start(): void {
    this.dirty = true;
    this.arm(0);
  }

  /** Draws now if anything is pending and the drawer can (used at the end). */
  flush(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Makes sure a tick happens within `delay` ms: a pending later one (the heartbeat) is brought forward. */
  private arm(delay: number): void {
    if (this.stopped) return;
    const due = this.timers.now() + delay;
    if (this.timer !== undefined) {
      if (due >= this.due) return;
      this.timers.clearTimeout(this.timer);
    }
    this.due = due;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delay);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.timers.now();
    if (this.dirty || now - this.last >= this.heartbeat) {
      if (this.draw()) {
        this.dirty = false;
        this.last = now;
      } else {
        // The log is mid escape sequence or character: try again shortly.
        this.dirty = true;
        this.arm(Math.min(20, this.interval));
        return;
      }
    }
    this.arm(this.dirty ? Math.max(0, this.last + this.interval - now) : this.heartbeat);
  }
}
