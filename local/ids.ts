import { createHash } from 'node:crypto';

/** SHA-256 of `text`, as 64 hex digits: stable material for ids derived from a name. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A stable UUID-shaped id derived from `text`. */
export function stableUuid(text: string): string {
  const hex = sha256Hex(text);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
