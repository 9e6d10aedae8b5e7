/** One mistake in a trace file, where it is. */
export interface TraceIssue {
  /** 1-based line of the file, where it has one. */
  line?: number;
  /** 1-based character column on that line. */
  column?: number;
  /** The field: `activeSessions`, `MetricDataResults[2].Values[5]`. */
  field?: string;
  message: string;
}

/** Most mistakes listed in one error; the rest are counted. */
const MAX_LISTED = 20;

/** A trace file that cannot be read: every mistake found, each with its line and column. */
export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';

  constructor(
    readonly file: string,
    readonly issues: readonly TraceIssue[],
    options?: { cause?: unknown },
  ) {
    super(`${file} has ${issues.length === 1 ? 'a mistake' : `${issues.length} mistakes`}:\n${listIssues(file, issues).join('\n')}`, options);
  }
}

/** `file:line:column: field: message`, one per mistake, at most MAX_LISTED then a count of the rest. */
export function listIssues(file: string, issues: readonly TraceIssue[]): string[] {
  const lines = issues.slice(0, MAX_LISTED).map((issue) => {
    const where = issue.line === undefined ? file : `${file}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
    return `${where}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`;
  });
  if (issues.length > MAX_LISTED) lines.push(`… and ${issues.length - MAX_LISTED} more`);
  return lines;
}
