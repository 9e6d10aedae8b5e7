import { AwsError } from './protocol.ts';

/**
 * NextToken paging over an already filtered, stably ordered list. Tokens are opaque to callers
 * (base64 of the offset and a fingerprint of the query) so a token from one query is refused by
 * another, as AWS does.
 */
export function paginate<T>(
  items: readonly T[],
  options: { limit: number; nextToken?: string | undefined; query: string; errorType: string },
): { page: T[]; nextToken?: string } {
  let offset = 0;
  if (options.nextToken !== undefined) {
    const decoded = decodeToken(options.nextToken);
    if (!decoded || decoded.query !== options.query || decoded.offset > items.length) {
      throw new AwsError(options.errorType, 'The NextToken is not valid for this request.');
    }
    offset = decoded.offset;
  }
  const page = items.slice(offset, offset + options.limit);
  const end = offset + page.length;
  return end < items.length ? { page, nextToken: encodeToken(end, options.query) } : { page };
}

function encodeToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: query })).toString('base64url');
}

function decodeToken(token: string): { offset: number; query: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (typeof parsed.o !== 'number' || typeof parsed.q !== 'string') return undefined;
    return { offset: parsed.o, query: parsed.q };
  } catch {
    return undefined;
  }
}
