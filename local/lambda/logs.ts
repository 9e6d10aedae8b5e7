import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * What handlers print, kept per function as CloudWatch Logs would keep it (local-cloud time, log
 * stream), so tests and the admin API can read a run's logs — for instance to prove that no secret
 * ever reaches a log line. Optionally echoed to stderr for a developer watching `autopilot cloud`.
 */
export interface LogLine {
  functionName: string;
  logStream: string;
  at: number;
  line: string;
}

export class FunctionLogs {
  private readonly lines: LogLine[] = [];

  constructor(
    private readonly now: () => number,
    private readonly echo = false,
    /** Oldest lines are dropped past this many, so a long realtime run does not grow without bound. */
    private readonly capacity = 100_000,
  ) {}

  capture(stream: Readable, functionName: string, logStream: string): void {
    createInterface({ input: stream }).on('line', (line) => {
      this.lines.push({ functionName, logStream, at: this.now(), line });
      if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
      if (this.echo) process.stderr.write(`[${functionName}] ${line}\n`);
    });
  }

  list(functionName?: string): LogLine[] {
    return functionName === undefined ? [...this.lines] : this.lines.filter((line) => line.functionName === functionName);
  }
}
