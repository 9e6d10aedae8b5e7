import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMPILED_POLICY_FORMAT, type CompiledPolicyFile } from './compiled.ts';
import { formatPath, parsePolicyFile, readPolicyText } from './load.ts';

/**
 * Compiles a YAML policy file into the validated JSON the Lambda functions read
 * (lib/policy/compiled.ts): validated in full by the loader (a mistake throws its PolicyFileError,
 * and nothing is written), defaults filled in. `autopilot validate --compile` (which `serverless
 * package` runs) and the local cloud at start use it.
 */
export function compilePolicyFile(source: string): CompiledPolicyFile {
  const text = readPolicyText(source);
  const file = parsePolicyFile(text, source);
  assertJsonData(file, []);
  return { format: COMPILED_POLICY_FORMAT, source, sha256: createHash('sha256').update(text).digest('hex'), file };
}

/**
 * Writes a compiled policy file, creating its folder. Written beside and renamed into place, so a
 * reader (a zip step, a cold start, a package running next to another) never sees half a file.
 */
export function writeCompiledPolicyFile(out: string, compiled: CompiledPolicyFile): void {
  mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(compiled, null, 2)}\n`);
  renameSync(partial, out);
}

/**
 * The functions get the PolicyFile back through JSON.parse, so it must be plain JSON data: the
 * schema has no transform today that yields a Date, Map, RegExp, function or non-finite number,
 * and one added later would fail here — and so `serverless package` — with its path, rather than
 * reach the functions changed. Members that are `undefined` are fine: JSON leaves them out, and a
 * missing member reads `undefined` too.
 */
function assertJsonData(value: unknown, at: readonly PropertyKey[]): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertJsonData(item, [...at, index]));
    return;
  }
  const prototype = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    for (const [key, member] of Object.entries(value as object)) if (member !== undefined) assertJsonData(member, [...at, key]);
    return;
  }
  const kind = typeof value === 'object' ? (prototype?.constructor?.name ?? 'object') : typeof value === 'number' ? String(value) : typeof value;
  throw new TypeError(
    `the validated policy file holds ${kind} at ${formatPath(at) || '(top level)'}, which JSON cannot carry to the functions; ` +
      'make the schema (lib/policy/schema.ts) produce plain data there, or convert it where the functions read it (lib/policy/compiled.ts)',
  );
}
