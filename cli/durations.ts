/** Units of the durations the CLI takes (`30m`, `2h`, `7d`, `1w`, and combinations like `1h30m`). */
const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const DURATION = /^(?:(\d{1,6})w)?(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/;

/** A duration in ms, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  const match = DURATION.exec(trimmed);
  if (!match || trimmed === '') return undefined;
  const [, w = '0', d = '0', h = '0', m = '0', s = '0'] = match;
  return Number(w) * UNIT_MS.w + Number(d) * UNIT_MS.d + Number(h) * UNIT_MS.h + Number(m) * UNIT_MS.m + Number(s) * UNIT_MS.s;
}

export const DAY_MS = UNIT_MS.d;
