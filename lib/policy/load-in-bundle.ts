/**
 * What the Lambda bundles get in place of lib/policy/load.ts (serverless.yml, custom.esbuild.alias):
 * the functions read the policy file compiled and validated at package time (lib/policy/compiled.ts),
 * so the YAML parser and the zod schema, about 150–200 ms of their cold start, stay out of the
 * bundle. A YAML POLICY_FILE reaching a bundle is refused with what to point it at instead.
 */
export function loadPolicyFile(file: string): never {
  throw new Error(
    `POLICY_FILE names ${file}, a YAML policy file; the bundled functions read only the validated JSON ` +
      '`npx serverless package` compiles from it (custom.compiledPolicyFile, .build/policies.json): point POLICY_FILE at that ' +
      '(for `serverless invoke local`: -e POLICY_FILE=$PWD/.build/policies.json)',
  );
}
