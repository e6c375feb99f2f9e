/** How the CLI writes progress: a live spinner line on a terminal, plain lines everywhere else. */
export interface Terminal {
  /** A permanent line (clears the live line first on a TTY). */
  line(text: string): void;
  /** The live status line: redrawn in place with a spinner on a TTY; printed only when it changes otherwise. */
  status(text: string): void;
  /** Removes the live line and stops the spinner. */
  done(): void;
  readonly interactive: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

export interface TerminalOptions {
  readonly stream?: NodeJS.WriteStream;
  /** Defaults to: the stream is a TTY and neither CI nor NO_COLOR... is set. */
  readonly interactive?: boolean;
}

export function isInteractive(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.CI && env.TERM !== 'dumb';
}

export function createTerminal(options: TerminalOptions = {}): Terminal {
  const stream = options.stream ?? process.stdout;
  const interactive = options.interactive ?? isInteractive(stream);
  return interactive ? new LiveTerminal(stream) : new PlainTerminal(stream);
}

class PlainTerminal implements Terminal {
  readonly interactive = false;
  private last = '';

  constructor(private readonly stream: NodeJS.WritableStream) {}

  line(text: string): void {
    this.stream.write(`${stripControl(text)}\n`);
  }

  status(text: string): void {
    if (text === this.last) return;
    this.last = text;
    this.line(text);
  }

  done(): void {
    this.last = '';
  }
}

class LiveTerminal implements Terminal {
  readonly interactive = true;
  private current: string | undefined;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  line(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
    this.draw();
  }

  status(text: string): void {
    this.current = text;
    this.timer ??= setInterval(() => this.draw(), FRAME_MS).unref();
    this.draw();
  }

  done(): void {
    this.clear();
    this.current = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private draw(): void {
    if (this.current === undefined) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const width = Math.max(20, (this.stream.columns ?? 100) - 1);
    this.stream.write(`\r\x1b[2K${SPINNER[this.frame]} ${this.current}`.slice(0, width + 8));
  }

  private clear(): void {
    if (this.current !== undefined) this.stream.write('\r\x1b[2K');
  }
}

// Anything a job log or a service message carries must not smuggle control sequences into plain output.
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}
