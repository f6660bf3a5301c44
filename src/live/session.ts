/**
 * What `watch` and `run` share: bytes in, passed through untouched (with backpressure) and parsed
 * into records; records folded into the dashboard model and checked by the early-stop rules; the
 * dashboard drawn live on a terminal, or once at the end otherwise.
 */
import type { Writable } from 'node:stream';
import { drained, write, warn, formatDiagnostic, type CommandIO } from '../core/io.js';
import { dashboardFrame, dashboardLines, type DashboardState } from '../render/dashboard.js';
import { keyHelpLines } from '../render/key-help.js';
import { parseKeyGroups } from '../core/keys.js';
import { unknownKeyMessage } from '../core/vocabulary.js';
import { noRecordsMessage } from '../input/read-inputs.js';
import { LineReader, type ReadOptions, type RecordSink } from '../parsers/source.js';
import type { JsonObject, MetadataRecord } from '../core/types.js';
import { DashboardModel, TIME_AXIS, type ModelOptions, type ViewOptions } from '../analyse/dashboard-model.js';
import { applyKey, initialControls, keyFilter, statusLine, type ControlAction, type ViewControls } from './controls.js';
import { Keyboard, openKeyInput, type KeyInput, type OpenedKeyInput } from './keyboard.js';
import type { KeyEvent } from './keys.js';
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

export interface SessionOptions extends Omit<ModelOptions, 'keys'> {
  /** `--keys` as given: names, `+` joining keys that share a chart. */
  keys?: readonly string[];
  /** `--log-y`: every chart on a log scale (the `l` key still cycles). */
  logY?: boolean;
  /** Read keys from the terminal when live. Default true; `--no-keyboard` turns it off. */
  keyboard?: boolean;
  /** Where keys come from. Default: stdin when it is a terminal, else the controlling terminal. */
  keyInput?: KeyInput;
  /** The session supervises a job (`run`): the help says `q` stops the job. */
  supervising?: boolean;
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
  private controls: ViewControls;
  private keyboard: Keyboard | undefined;
  private keySource: OpenedKeyInput | undefined;
  private actionListeners: Array<(action: ControlAction) => void> = [];
  /** Pages of charts the last frame had, for paging keys. */
  private pages = 1;
  private extraNotice: string | undefined;
  /** stdout cannot be written any more (its reader went away, a full disk): nothing more is sent there. */
  private lost = false;
  private readonly onResize = (): void => this.resize();
  private readonly onExit = (): void => this.restoreSync();

  constructor(
    private readonly io: CommandIO,
    private readonly options: SessionOptions,
  ) {
    const { keys, ...modelOptions } = options;
    this.model = new DashboardModel({
      ...modelOptions,
      ...(keys && keys.length > 0 ? { keys: parseKeyGroups(keys) } : {}),
      // A live dashboard may switch to elapsed time (x); one printed at the end never does.
      timeAxis: (options.live && options.keyboard !== false) || options.x === TIME_AXIS,
    });
    this.controls = initialControls({
      smoothing: options.smooth ?? 0,
      logScale: options.logY ? 'log' : 'auto',
    });
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

  /**
   * One message per `--keys` name that no record had, with the closest known keys
   * (`no key "los" in train.log; did you mean loss?`). `where` names the inputs.
   */
  unknownKeys(where: string): string[] {
    if (this.model.records === 0) return [];
    const known = this.model.knownKeys();
    const named = parseKeyGroups(this.options.keys ?? []).flat();
    return named.filter((key) => !known.includes(key)).map((key) => unknownKeyMessage(key, where, known));
  }

  /** Called with what a key asks beyond redrawing: `quit` (q) or `interrupt` (Ctrl-C in raw mode). */
  onAction(listener: (action: ControlAction) => void): void {
    this.actionListeners.push(listener);
  }

  /** A line under the header (e.g. that the job was asked to stop), until replaced. */
  setNotice(text: string | undefined): void {
    this.extraNotice = text;
    this.scheduler?.invalidate();
  }

  /**
   * Where keys will come from once started, decided before: `run` gives its job the terminal's
   * stdin only when vizmeta does not read keys from it. Undefined: no keys.
   */
  keyInput(): KeyInput | undefined {
    if (!this.screen || this.options.keyboard === false) return undefined;
    this.keySource ??= openKeyInput(this.options.keyInput ?? (this.io.stdin as unknown as KeyInput));
    return this.keySource?.input;
  }

  /** Takes over the terminal (when live), and the keyboard with it. */
  start(): void {
    if (!this.screen || !this.scheduler) return;
    this.screen.enter();
    process.on('exit', this.onExit);
    this.io.stdout.on('resize', this.onResize);
    const input = this.keyInput();
    if (input) {
      this.keyboard = new Keyboard(input, (key) => this.key(key));
      if (!this.keyboard.start()) this.keyboard = undefined;
    }
    this.scheduler.start();
  }

  /** One key: the controls change and the frame is drawn at once (even when paused). */
  private key(key: KeyEvent): void {
    const result = applyKey(this.controls, key, { runs: this.model.sources.length, pages: this.pages, axes: this.xChoices().map(axisName) });
    if (result.state !== this.controls) {
      this.controls = result.state;
      if (this.screen?.isActive && !this.lost) this.screen.draw(this.frameLines());
    }
    if (result.action) for (const listener of this.actionListeners) listener(result.action);
  }

  /**
   * The x axes `x` cycles through: the step keys the log has and elapsed time, the one chosen
   * with `--x` (or the first step key) first, so the default is always choice 0.
   */
  private xChoices(): string[] {
    const axes = this.model.axes();
    if (this.options.x === TIME_AXIS) return [TIME_AXIS, ...axes];
    return this.model.keepsTime ? [...axes, TIME_AXIS] : axes;
  }

  /** What a frame looks at, by the keys pressed. */
  private viewOptions(): ViewOptions {
    const c = this.controls;
    const sources = this.model.sources;
    const choices = this.xChoices();
    return {
      xAxis: choices[c.xAxis % choices.length] as string,
      smoothing: c.smoothing,
      ...(c.filter !== '' ? { filter: keyFilter(c.filter) } : {}),
      ...(c.solo && sources.length > 1 ? { source: sources[Math.min(c.run, sources.length - 1)] as string } : {}),
    };
  }

  /** A reader for one input; records are labelled with `label` (the execution's name). */
  reader(source: string, label: string = source): LineReader {
    this.model.register(label);
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
    this.model.register(label);
    this.frameworkInputs++;
    return {
      record: (record) => this.record(record, label),
      diagnostic: (diagnostic) => this.io.stderr.write(formatDiagnostic(diagnostic)),
    };
  }

  /**
   * stdout can no longer be written (a closed pipe, a full disk): input is dropped from now on
   * instead of passed through, and no frame or final dashboard is drawn. Reading goes on.
   */
  outputLost(): void {
    this.lost = true;
    this.scheduler?.stop();
  }

  /** Writes input bytes through to stdout (unless quiet); resolves when stdout can take more. */
  async passthrough(chunk: Uint8Array): Promise<void> {
    if (this.options.quiet || this.lost || chunk.length === 0) return;
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
      this.releaseKeyboard();
      if (this.screen.isActive && !this.lost) {
        this.screen.draw(this.frameLines());
        this.screen.leave();
      }
      this.detach();
      return;
    }
    if (this.lost) return;
    const lines = dashboardLines(this.state(), { width: Math.max(20, this.io.columns), color: this.options.color });
    const lead = this.wroteAny && !this.endedWithNewline ? '\n' : '';
    const gap = this.wroteAny ? '\n' : '';
    await write(this.io.stdout, `${lead}${gap}${lines.join('\n')}\n`);
  }

  /** Gives the terminal back at once (an error or a signal): no frame, just the escape sequences. */
  abort(): void {
    this.scheduler?.stop();
    this.releaseKeyboard();
    this.screen?.leave();
    this.detach();
  }

  get lines(): number {
    return this.readers.reduce((sum, r) => sum + r.lines, 0);
  }

  /** The dashboard's state for a frame. */
  state(): DashboardState {
    const notice = this.stopNotice ? `early stop: ${this.stopNotice.message}` : this.extraNotice;
    const empty = this.ended ? this.emptyReason() : undefined;
    return {
      model: this.model.view(this.viewOptions()),
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
    const c = this.controls;
    const state = this.state();
    const runs = this.model.sources.length;
    const frame = dashboardFrame(state, {
      width: size.columns,
      height: size.rows,
      color: this.options.color,
      page: c.page,
      logScale: c.logScale,
      overview: c.overview,
      // Pages are the renderer's to count and say; the status line says the rest.
      ...(this.keyboard ? { footer: statusLine(c, { runs: this.model.sources.length, pages: 1, axes: this.xChoices().map(axisName) }) } : {}),
      ...(c.help ? { overlay: keyHelpLines(size.columns, { run: this.options.supervising === true, runs }) } : {}),
      ...(runs > 1 && !c.solo ? { selected: this.model.sources[Math.min(c.run, runs - 1)] as string } : {}),
    });
    this.pages = frame.pages;
    if (frame.page !== c.page) this.controls = { ...c, page: frame.page };
    return frame.lines;
  }

  private drawFrame(): boolean {
    const screen = this.screen;
    if (!screen?.isActive) return true;
    // Paused: new data does not redraw; keys still do (key()).
    if (this.controls.paused) return true;
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
    if (!this.screen?.isActive || this.lost) return;
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

  private releaseKeyboard(): void {
    this.keyboard?.stop();
    this.keyboard = undefined;
    this.keySource?.close();
    this.keySource = undefined;
  }

  private detach(): void {
    process.off('exit', this.onExit);
    this.io.stdout.off('resize', this.onResize);
  }
}

/** An x axis as the footer names it. */
function axisName(axis: string): string {
  return axis === TIME_AXIS ? 'elapsed' : axis;
}
