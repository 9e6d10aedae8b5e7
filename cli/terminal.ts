/**
 * Terminal output for the CLI's commands: whether to colour, how wide a line may be, and tables
 * fitted to that width. Nothing here knows about audits or targets; a command builds its rows
 * and says which columns may give up width first.
 *
 * - Colour only when the stream is a TTY and `NO_COLOR` is unset or empty (https://no-color.org).
 * - A TTY's lines are fitted to its `columns` (100 when it does not say); anything else (a pipe,
 *   a file) gets whole lines, nothing cut, so `grep` and `less -S` see every character.
 * - Widths count code points; cell text is made one line and stripped of control characters,
 *   so data from the outside cannot move the cursor or colour the terminal.
 */

/** The part of a stream we look at (process.stdout, or a stand-in in tests). */
export interface OutputStream {
  isTTY?: boolean;
  columns?: number;
}

export interface Terminal {
  /** Colour and other SGR sequences may be written. */
  color: boolean;
  /** The width lines must fit in; undefined: no limit (not a TTY). */
  width: number | undefined;
}

/** Width assumed for a TTY that does not report its columns. */
export const DEFAULT_TTY_WIDTH = 100;

/** What the stream can take, read now (a terminal can be resized between commands). */
export function terminalOf(stream: OutputStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Terminal {
  const tty = stream.isTTY === true;
  const columns = stream.columns;
  return {
    color: tty && !noColor(env),
    width: tty ? (columns !== undefined && Number.isInteger(columns) && columns > 0 ? columns : DEFAULT_TTY_WIDTH) : undefined,
  };
}

/** https://no-color.org: present and not empty disables colour, whatever its value. */
export function noColor(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.NO_COLOR;
  return value !== undefined && value !== '';
}

export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => (text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`);
const plain = (text: string) => text;

/** Colour wrappers that colour only when `enabled`; otherwise they return the text unchanged. */
export function palette(enabled: boolean): Palette {
  if (!enabled) return { red: plain, yellow: plain, green: plain, bold: plain, dim: plain };
  return { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

const SGR_SEQUENCE = /\u001b\[[0-9;]*m/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

/** Text without SGR (colour) sequences. */
export function stripSgr(text: string): string {
  return text.replace(SGR_SEQUENCE, '');
}

/** Columns `text` takes (code points; colour sequences take none). */
export function widthOf(text: string): number {
  return Array.from(stripSgr(text)).length;
}

/** One line of printable text: newlines, tabs and other control characters become single spaces. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** `text` cut to `width` columns, ending in `…` when cut. Plain text only (no colour sequences). */
export function truncate(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** `text` broken at spaces into lines of at most `width` columns (a longer word stays whole), each after `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line !== '' && widthOf(indent + line) + 1 + widthOf(word) > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

export interface Column {
  header: string;
  /**
   * Who gives up width when the line is too long: columns with the highest `shrink` first (the
   * widest of them first), down to `min`, and below it only when that is not enough (see
   * `fitWidths`). 0 (default): never cut.
   */
  shrink?: number;
  /** Narrowest this column is cut to before any column is cut further (default: its header's width). */
  min?: number;
  align?: 'left' | 'right';
}

export interface TableOptions {
  /** Line width to fit (undefined: no limit, every cell whole). */
  width?: number;
  /** Spaces between columns (default 2). */
  gap?: number;
  /** Styles a cell after it was cut, before it is padded (`row` -1: the header). */
  paint?: (text: string, column: number, row: number) => string;
}

/**
 * Widths for columns whose content wants `natural` columns, within `width` (gaps included).
 * Columns give up width by `shrink` level, highest first and the widest of a level first: first
 * down to their `min`, then, when that is not enough, down to 1. Only when the columns that never
 * shrink (and the gaps) are wider than `width` do lines run longer.
 */
export function fitWidths(natural: readonly number[], columns: readonly Column[], width: number | undefined, gap = 2): number[] {
  const widths = [...natural];
  if (width === undefined) return widths;
  let excess = widths.reduce((sum, w) => sum + w, 0) + gap * Math.max(0, widths.length - 1) - width;
  const levels = [...new Set(columns.map((column) => column.shrink ?? 0).filter((level) => level > 0))].sort((a, b) => b - a);
  const minimums = columns.map((column) => Math.max(1, column.min ?? widthOf(column.header)));
  for (const floors of [minimums, minimums.map(() => 1)]) {
    for (const level of levels) {
      while (excess > 0) {
        // The widest column of this level that can still give a column.
        let pick = -1;
        columns.forEach((column, index) => {
          if ((column.shrink ?? 0) !== level || (widths[index] ?? 0) <= (floors[index] ?? 1)) return;
          if (pick === -1 || (widths[index] ?? 0) > (widths[pick] ?? 0)) pick = index;
        });
        if (pick === -1) break;
        widths[pick] = (widths[pick] ?? 0) - 1;
        excess -= 1;
      }
    }
  }
  return widths;
}

/**
 * A header row and the rows, each cell made one line, cut with `…` to fit `options.width`, and
 * padded to its column (the last column is not padded: no trailing spaces).
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], options: TableOptions = {}): string[] {
  const gap = options.gap ?? 2;
  const cells = [columns.map((column) => column.header), ...rows].map((row) => columns.map((_, index) => oneLine(row[index] ?? '')));
  const natural = columns.map((_, index) => Math.max(...cells.map((row) => widthOf(row[index] ?? ''))));
  const widths = fitWidths(natural, columns, options.width, gap);
  return cells.map((row, rowIndex) =>
    row
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        const cut = truncate(cell, width);
        const painted = options.paint ? options.paint(cut, index, rowIndex - 1) : cut;
        if (index === row.length - 1 && columns[index]?.align !== 'right') return painted;
        const padding = ' '.repeat(Math.max(0, width - widthOf(cut)));
        return columns[index]?.align === 'right' ? padding + painted : painted + padding;
      })
      .join(' '.repeat(gap))
      .trimEnd(),
  );
}
