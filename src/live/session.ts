/**
 * What `watch` and `run` share: bytes in, passed through untouched (with backpressure) and parsed
 * into records; records folded into the dashboard model and checked by the early-stop rules; the
 * dashboard drawn live on a terminal, or once at the end otherwise.
 */
import type { Writable } from 'node:stream';
import { drained, write, warn, formatDiagnostic, type CommandIO } from '../core/io.js';
import { dashboardLines, type DashboardState } from '../render/dashboard.js';
import { noRecordsMessage } from '../input/read-inputs.js';
import { LineReader, type ReadOptions, type RecordSink } from '../parsers/source.js';
import type { JsonObject, MetadataRecord } from '../core/types.js';
import { DashboardModel, type ModelOptions } from '../analyse/dashboard-model.js';
import { FrameScheduler, type Timers } from './scheduler.js';
import { LiveScreen, type TerminalSize } from './terminal.js';

/** Why the job should stop: what an early-stop rule reports when it fires. */
export interface StopNotice {
  rule: string;
  message: string;
  step?: number | undefined;
  value?: unknown;
}

/** Anything that looks at each record and may decide the job should stop. */
export interface StopRule {
  observe(values: JsonObject): StopNotice | null;
}

export interface SessionOptions extends ModelOptions {
  /** Do not pass the input through. Default false. */
  quiet?: boolean;
  /** Draw a live dashboard in place (stdout is a terminal). */
  live: boolean;
  color: boolean;
  /** First words of the header, e.g. `vizmeta watch · train.log`. */
  title: string;
  stopRule?: StopRule | undefined;
  readOptions?: ReadOptions;
  /** Clock for the elapsed time, ms. Default Date.now. */
  now?: () => number;
  timers?: Timers;
  /** Least time between frames, ms. Default 100. */
  frameInterval?: number;
}

/** A writable terminal stream, as far as resizing goes. */
interface SizedStream extends Writable {
  columns?: number;
  rows?: number;
}

/** Longest a frame waits for the log to finish an escape sequence before drawing anyway, ms. */
const MAX_DEFER_MS = 500;

export class LiveSession {
  readonly model: DashboardModel;
  private readonly readers: LineReader[] = [];
  /** Set by finish(): the input is over, so an empty dashboard says why instead of waiting. */
  private ended = false;
  /** Inputs read by framework readers (sink()), which have no lines to diagnose. */
  private frameworkInputs = 0;
  private readonly screen: LiveScreen | undefined;
  private readonly scheduler: FrameScheduler | undefined;
  private readonly now: () => number;
  private readonly started: number;
  private stopNotice: StopNotice | undefined;
  private stopListeners: Array<(notice: StopNotice) => void> = [];
  private status = 'running';
  private endedWithNewline = true;
  private wroteAny = false;
  private deferredSince: number | undefined;
  private readonly onResize = (): void => this.resize();
  private readonly onExit = (): void => this.restoreSync();

  constructor(
    private readonly io: CommandIO,
    private readonly options: SessionOptions,
  ) {
    this.model = new DashboardModel(options);
    this.now = options.now ?? Date.now;
    this.started = this.now();
    if (options.live) {
      this.screen = new LiveScreen(io.stdout, this.terminalSize(), options.quiet === true);
      this.scheduler = new FrameScheduler(() => this.drawFrame(), {
        ...(options.timers ? { timers: options.timers } : {}),
        ...(options.frameInterval !== undefined ? { interval: options.frameInterval } : {}),
      });
    }
  }

  /** Set when an early-stop rule fired. */
  get stopped(): StopNotice | undefined {
    return this.stopNotice;
  }

  /** Called once, when an early-stop rule fires. */
  onStop(listener: (notice: StopNotice) => void): void {
    this.stopListeners.push(listener);
  }

  /** Takes over the terminal (when live). */
  start(): void {
    if (!this.screen || !this.scheduler) return;
    this.screen.enter();
    process.on('exit', this.onExit);
    this.io.stdout.on('resize', this.onResize);
    this.scheduler.start();
  }

  /** A reader for one input; records are labelled with `label` (the execution's name). */
  reader(source: string, label: string = source): LineReader {
    const reader = new LineReader(
      source,
      {
        record: (record) => this.record(record, label),
        diagnostic: (diagnostic) => this.io.stderr.write(formatDiagnostic(diagnostic)),
      },
      this.options.readOptions ?? {},
    );
    this.readers.push(reader);
    return reader;
  }

  /** Where a framework input's records go (TensorBoard events, trainer_state.json, …): no bytes to pass through. */
  sink(label: string): RecordSink {
    this.frameworkInputs++;
    return {
      record: (record) => this.record(record, label),
      diagnostic: (diagnostic) => this.io.stderr.write(formatDiagnostic(diagnostic)),
    };
  }

  /** Writes input bytes through to stdout (unless quiet); resolves when stdout can take more. */
  async passthrough(chunk: Uint8Array): Promise<void> {
    if (this.options.quiet || chunk.length === 0) return;
    this.wroteAny = true;
    this.endedWithNewline = chunk[chunk.length - 1] === 0x0a;
    if (this.screen?.isActive) {
      if (!this.screen.passthrough(chunk)) await drained(this.io.stdout);
      return;
    }
    await write(this.io.stdout, chunk);
  }

  /** Bytes of another stream shown on the terminal (the job's stderr), tracked so frames do not split them. */
  async passthroughTo(stream: Writable, chunk: Uint8Array): Promise<void> {
    if (this.screen?.isActive && stream !== this.io.stdout) this.screen.boundary.push(chunk);
    await write(stream, chunk);
  }

  /** Ends the session: the last frame (live) or the final dashboard (not live), then the terminal back. */
  async finish(status: string): Promise<void> {
    this.status = status;
    this.ended = true;
    if (this.screen && this.scheduler) {
      this.scheduler.stop();
      if (this.screen.isActive) {
        this.screen.draw(this.frameLines());
        this.screen.leave();
      }
      this.detach();
      return;
    }
    const lines = dashboardLines(this.state(), { width: Math.max(20, this.io.columns), color: this.options.color });
    const lead = this.wroteAny && !this.endedWithNewline ? '\n' : '';
    const gap = this.wroteAny ? '\n' : '';
    await write(this.io.stdout, `${lead}${gap}${lines.join('\n')}\n`);
  }

  /** Gives the terminal back at once (an error or a signal): no frame, just the escape sequences. */
  abort(): void {
    this.scheduler?.stop();
    this.screen?.leave();
    this.detach();
  }

  get lines(): number {
    return this.readers.reduce((sum, r) => sum + r.lines, 0);
  }

  /** The dashboard's state for a frame. */
  state(): DashboardState {
    const notice = this.stopNotice ? `early stop: ${this.stopNotice.message}` : undefined;
    const empty = this.ended ? this.emptyReason() : undefined;
    return {
      model: this.model.view(),
      title: this.options.title,
      status: this.status,
      ...(notice !== undefined ? { notice } : {}),
      ...(empty !== undefined ? { empty } : {}),
      elapsedSeconds: (this.now() - this.started) / 1000,
      lines: this.lines,
    };
  }

  /** Once the input has ended with no record: which input, how many lines, and what would read them. */
  private emptyReason(): string | undefined {
    if (this.readers.length === 0 || this.frameworkInputs > 0 || this.readers.some((reader) => reader.records > 0)) return undefined;
    const reader = this.readers[0] as LineReader;
    return noRecordsMessage(reader.source, this.lines, reader.noRecordsHint());
  }

  private record(record: MetadataRecord, label: string): void {
    this.model.observe(record, label);
    this.scheduler?.invalidate();
    if (this.stopNotice || !this.options.stopRule) return;
    const notice = this.options.stopRule.observe(record.values);
    if (!notice) return;
    this.stopNotice = notice;
    this.status = 'stopping';
    warn(this.io, `early stop: ${notice.message}`);
    for (const listener of this.stopListeners) listener(notice);
  }

  private frameLines(): string[] {
    const size = this.screen?.frameSize ?? { rows: 24, columns: 80 };
    return dashboardLines(this.state(), { width: size.columns, height: size.rows, color: this.options.color });
  }

  private drawFrame(): boolean {
    const screen = this.screen;
    if (!screen?.isActive) return true;
    if (!screen.canDraw) {
      this.deferredSince ??= this.now();
      if (this.now() - this.deferredSince < MAX_DEFER_MS) return false;
    }
    this.deferredSince = undefined;
    screen.draw(this.frameLines());
    return true;
  }

  private terminalSize(): TerminalSize {
    const out = this.io.stdout as SizedStream;
    return { rows: out.rows || this.io.rows, columns: out.columns || this.io.columns };
  }

  private resize(): void {
    if (!this.screen?.isActive) return;
    this.screen.resize(this.terminalSize());
    this.screen.draw(this.frameLines());
  }

  private restoreSync(): void {
    // The process is exiting without finish(): an uncaught error. Give the terminal back.
    const text = this.screen?.leaveText() ?? '';
    if (text !== '') {
      try {
        (this.io.stdout as Writable & { fd?: number }).write(text);
      } catch {
        // Nothing more can be done at exit.
      }
    }
  }

  private detach(): void {
    process.off('exit', this.onExit);
    this.io.stdout.off('resize', this.onResize);
  }
}

