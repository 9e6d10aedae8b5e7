import os from 'node:os';
import { readFileSync } from 'node:fs';

/** Small helpers every bench script shares: numeric `--name value` options and the figures' header. */
export function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value)) throw new RangeError(`--${name} takes a number, got ${JSON.stringify(process.argv[at + 1])}`);
  return value;
}

/** The machine a figure was measured on; the load average because other work shares the cores. */
export function machine(): string {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
  return `${os.availableParallelism()} cores (${model}), node ${process.version}, load ${load}`;
}

export function printFigures(title: string, lines: readonly string[]): void {
  process.stdout.write(`${[`${title}`, `  machine: ${machine()}`, ...lines.map((line) => `  ${line}`)].join('\n')}\n`);
}
