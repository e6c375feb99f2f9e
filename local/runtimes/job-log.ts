import * as fs from 'node:fs';

const TAIL_BYTES = 4096;

/** A job's log file: the process's stdout and stderr as they arrive, plus notes from the local AWS. */
export class JobLog {
  private readonly fd: number;
  private stderr = '';

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
  }

  /** A line from the local AWS itself (staging, warnings), marked and timed so it is not mistaken for job output. */
  note(text: string): void {
    this.write(`[local-aws ${new Date().toISOString()}] ${text}\n`);
  }

  stdout(chunk: Buffer | string): void {
    this.write(chunk);
  }

  stderrChunk(chunk: Buffer | string): void {
    this.write(chunk);
    this.stderr = (this.stderr + chunk.toString()).slice(-TAIL_BYTES);
  }

  /** The end of stderr (what explains a failure). */
  stderrTail(lines = 20): string {
    return this.stderr.trimEnd().split('\n').slice(-lines).join('\n');
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private write(chunk: Buffer | string): void {
    fs.writeSync(this.fd, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
}
