import { z } from 'zod';
import type { TargetKind } from './trace.ts';

/**
 * What an hour of capacity costs in the backtest: per pool session-hour and per fleet
 * instance-hour, optionally per target (`pool/wspool-…`, `fleet/<name>`). The defaults are
 * placeholders to compare policies with, NOT AWS prices: pass your own from your bill or the
 * AWS price list (`--price pool=0.35 --price fleet=0.90`, or a JSON/YAML file of the same keys).
 */
export interface Prices {
  pool: number;
  fleet: number;
  /** Per target, overriding its kind's price. */
  targets: Record<string, number>;
  /** The kinds whose price is still the default placeholder. */
  placeholders: TargetKind[];
}

export const DEFAULT_PRICES: Prices = { pool: 0.35, fleet: 0.9, targets: {}, placeholders: ['pool', 'fleet'] };

const KEY = /^(pool|fleet)(\/[A-Za-z0-9][A-Za-z0-9_.-]{0,127})?$/;
const priceSchema = z.number().nonnegative().finite();

export class PriceError extends Error {
  override readonly name = 'PriceError';
}

/** Prices with `key=value` entries applied (`pool=0.35`, `fleet/newyork-design-tools=2.10`). */
export function withPrices(prices: Prices, entries: Readonly<Record<string, unknown>>, where: string): Prices {
  const next: Prices = { ...prices, targets: { ...prices.targets } };
  for (const [key, raw] of Object.entries(entries)) {
    if (!KEY.test(key)) throw new PriceError(`${where}: "${key}" is not pool, fleet, pool/<pool id> or fleet/<fleet name>`);
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    const parsed = priceSchema.safeParse(value);
    if (!parsed.success) throw new PriceError(`${where}: the price of ${key} must be a number ≥ 0 (per hour), not ${JSON.stringify(raw)}`);
    if (key === 'pool' || key === 'fleet') {
      next[key] = parsed.data;
      next.placeholders = next.placeholders.filter((kind) => kind !== key);
    } else {
      next.targets[key] = parsed.data;
    }
  }
  return next;
}

/** `pool=0.35` → { pool: '0.35' }. */
export function parsePriceEntry(text: string): Record<string, string> {
  const at = text.indexOf('=');
  if (at <= 0) throw new PriceError(`--price ${text}: expected KEY=PRICE, e.g. pool=0.35 or fleet/newyork-design-tools=2.10`);
  return { [text.slice(0, at).trim()]: text.slice(at + 1).trim() };
}

export function priceOf(prices: Prices, target: string, kind: TargetKind): number {
  return prices.targets[target] ?? prices[kind];
}
