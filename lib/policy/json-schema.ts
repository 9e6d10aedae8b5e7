import { z } from 'zod';
import { policyFileSchema } from './schema.ts';

/**
 * The JSON Schema editors autocomplete the policy file with (`config/policies.schema.json`,
 * referenced from the file's `# yaml-language-server: $schema=…` line), generated from the zod
 * schema so the two cannot drift: `npm run schema` rewrites it, and a test fails when the
 * checked-in copy is stale.
 *
 * It describes the file as written (zod's `input` side: members with defaults are optional) in
 * draft-07, the draft YAML and JSON editors support best. Refinements (time zones that exist,
 * calendar dates, min ≤ max, an `offHours.stop` that can act, calendars that are defined, the
 * applications' `maxWaitSeconds` ≥ `firstWaitSeconds`) have no JSON Schema form: editors accept
 * what `autopilot validate` then refuses.
 */
export const POLICY_SCHEMA_PATH = 'config/policies.schema.json';

export function policyJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(policyFileSchema, { target: 'draft-07', io: 'input', unrepresentable: 'any' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'euc-autopilot policy file',
    description:
      'Which WorkSpaces Pools and AppStream fleets euc-autopilot manages and what capacity each should have when. ' +
      'Generated from lib/policy/schema.ts by `npm run schema`; do not edit by hand. Semantics: docs/POLICIES.md.',
    ...rest,
  };
}

/** The file's text: stable key order and a trailing newline, so regenerating changes nothing. */
export function policyJsonSchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}
