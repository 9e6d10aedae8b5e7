import { TraceFileError, type TraceIssue } from './errors.ts';
import { parseIsoInstant, parseTarget, TARGET_FORM, type TargetSamples, type TraceSample, type UsageTrace } from './trace.ts';

/**
 * Reads a usage trace in CSV: `timestamp,target,activeSessions`, one sample a line.
 *
 * Input: the file's text and its name (for messages). Output: the samples per target, each in
 * time order. Primary course: an optional header line (those three names, any case), then rows
 * in any order; blank lines and lines starting with `#` are skipped. `timestamp` is ISO 8601
 * (no offset: UTC), `target` is `pool/<pool id>` or `fleet/<fleet name>`, `activeSessions` a whole
 * number ≥ 0. Every bad row is reported, not just the first: one TraceFileError naming the line,
 * the column and the field of each mistake. Two rows for one target and instant must agree.
 */
export const CSV_COLUMNS = ['timestamp', 'target', 'activeSessions'] as const;

export function parseCsvTrace(text: string, file: string): UsageTrace {
  const issues: TraceIssue[] = [];
  const byTarget = new Map<string, { kind: TargetSamples['kind']; id: string; samples: Array<TraceSample & { line: number }> }>();
  const lines = text.split(/\r?\n/);
  let headerAllowed = true;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = index === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (content.trim() === '' || content.trimStart().startsWith('#')) return;
    const fields = splitFields(content);
    if (headerAllowed) {
      headerAllowed = false;
      if (fields.map((field) => field.text.toLowerCase()).join(',') === CSV_COLUMNS.join(',').toLowerCase()) return;
    }
    if (fields.length !== CSV_COLUMNS.length) {
      issues.push({ line, column: 1, message: `expected ${CSV_COLUMNS.length} columns (${CSV_COLUMNS.join(',')}), found ${fields.length}` });
      return;
    }
    const [timestamp, target, sessions] = fields as [Field, Field, Field];
    const at = parseIsoInstant(timestamp.text);
    if (at === undefined) issues.push({ line, column: timestamp.column, field: 'timestamp', message: `${quote(timestamp.text)} is not an ISO 8601 time (2026-11-23T08:00:00Z)` });
    const named = parseTarget(target.text);
    if (!named) issues.push({ line, column: target.column, field: 'target', message: `${quote(target.text)} is not ${TARGET_FORM}` });
    const value = /^\d{1,9}$/.test(sessions.text) ? Number(sessions.text) : undefined;
    if (value === undefined) issues.push({ line, column: sessions.column, field: 'activeSessions', message: `${quote(sessions.text)} is not a whole number ≥ 0` });
    if (at === undefined || !named || value === undefined) return;
    const entry = byTarget.get(target.text) ?? { ...named, samples: [] };
    byTarget.set(target.text, entry);
    entry.samples.push({ at, value, line });
  });
  const targets: TargetSamples[] = [];
  for (const [target, { kind, id, samples }] of byTarget) {
    samples.sort((a, b) => a.at - b.at || a.line - b.line);
    for (let i = 1; i < samples.length; i += 1) {
      const [before, sample] = [samples[i - 1]!, samples[i]!];
      if (before.at === sample.at && before.value !== sample.value) {
        issues.push({
          line: sample.line,
          column: 1,
          message: `${target} at ${new Date(sample.at).toISOString()} has ${sample.value} here and ${before.value} on line ${before.line}`,
        });
      }
    }
    targets.push({ target, kind, id, inUse: samples.map(({ at, value }) => ({ at, value })) });
  }
  if (issues.length > 0) throw new TraceFileError(file, issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  if (targets.length === 0) throw new TraceFileError(file, [{ message: `no samples: expected lines of ${CSV_COLUMNS.join(',')}` }]);
  targets.sort((a, b) => a.target.localeCompare(b.target));
  return { source: file, targets };
}

interface Field {
  text: string;
  /** 1-based column where the field starts. */
  column: number;
}

/** Comma-separated fields, trimmed, with surrounding double quotes removed. */
function splitFields(line: string): Field[] {
  const fields: Field[] = [];
  let start = 0;
  for (const part of line.split(',')) {
    const lead = part.length - part.trimStart().length;
    let text = part.trim();
    if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).trim();
    fields.push({ text, column: start + lead + 1 });
    start += part.length + 1;
  }
  return fields;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
