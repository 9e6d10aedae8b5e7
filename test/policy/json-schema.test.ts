import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { POLICY_SCHEMA_PATH, policyJsonSchemaText } from '#lib/policy/json-schema.ts';

describe('the policy JSON Schema', () => {
  it('is checked in exactly as generated from the zod schema (run `npm run schema` when this fails)', () => {
    const checkedIn = readFileSync(path.join(PROJECT_ROOT, POLICY_SCHEMA_PATH), 'utf8');
    expect(checkedIn).toBe(policyJsonSchemaText());
  });

  it('is what the example policy file points editors at', () => {
    const example = readFileSync(path.join(PROJECT_ROOT, 'config/policies.yml'), 'utf8');
    expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=./policies.schema.json');
  });

  it('describes the file as written: members with defaults are optional, unknown members refused', () => {
    const schema = JSON.parse(policyJsonSchemaText()) as {
      $schema: string;
      required: string[];
      additionalProperties: boolean;
      properties: { policies: { items: { required: string[] } } };
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['version', 'policies']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.policies.items.required).toEqual(['name', 'targets', 'max']);
  });
});
