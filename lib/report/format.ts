import type { CapacityUnit, ScenarioInfo, TotalResult } from '#lib/backtest/run.ts';

/**
 * How backtest figures read, the same in the terminal and in the HTML report: thousands
 * separated, hours to one decimal, money to two, savings as a signed percentage.
 */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatHours(value: number): string {
  return oneDecimal.format(value);
}

export function formatCost(value: number): string {
  return money.format(value);
}

/** `−23.4 %` (dearer), `71.2 %`; `—` when there is nothing to compare with. */
export function formatSavings(value: number | null): string {
  if (value === null) return '—';
  const text = `${oneDecimal.format(Math.abs(value))} %`;
  return value < -0.05 ? `−${text}` : text;
}

export const UNIT_HOURS: Record<CapacityUnit, string> = { session: 'session-h', instance: 'instance-h' };

/** `3,274.7 session-h + 950.0 instance-h`. */
export function formatCapacityHours(hours: TotalResult['capacityHours']): string {
  return (Object.entries(hours) as Array<[CapacityUnit, number]>)
    .sort(([a], [b]) => (a === 'session' ? -1 : b === 'session' ? 1 : 0))
    .map(([unit, value]) => `${formatHours(value)} ${UNIT_HOURS[unit]}`)
    .join(' + ');
}

/** How a row names its scenario: the policy file's label, `static`, `target tracking`. */
export function scenarioLabel(scenarios: readonly ScenarioInfo[], id: string): string {
  return scenarios.find((scenario) => scenario.id === id)?.label ?? id;
}
