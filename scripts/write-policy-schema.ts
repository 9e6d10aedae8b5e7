import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { POLICY_SCHEMA_PATH, policyJsonSchemaText } from '#lib/policy/json-schema.ts';

// `npm run schema`: regenerates config/policies.schema.json from the zod schema.
const target = path.join(PROJECT_ROOT, POLICY_SCHEMA_PATH);
writeFileSync(target, policyJsonSchemaText());
process.stdout.write(`wrote ${POLICY_SCHEMA_PATH}\n`);
