import type { DateTime } from 'luxon';

/**
 * A zone's common abbreviation at a moment, for people: CET, CEST, EST, BST (the en-US names,
 * then the en-GB ones), else the offset (GMT+10); UTC as UTC.
 */
export function zoneAbbreviation(time: DateTime): string {
  if (time.zone.name === 'UTC' || time.zone.name === 'Etc/UTC') return 'UTC';
  const american = time.setLocale('en-US').toFormat('ZZZZ');
  if (!/^GMT[+-]/.test(american)) return american;
  const british = time.setLocale('en-GB').toFormat('ZZZZ');
  return /^GMT[+-]/.test(british) ? american : british;
}
