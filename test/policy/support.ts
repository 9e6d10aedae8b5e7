import { parsePolicyFile, PolicyFileError } from '#lib/policy/load.ts';

/** The mistakes of a policy text, one `<file>: <path>: <message>` line each. */
export function mistakes(text: string): string[] {
  try {
    parsePolicyFile(text, 'policies.yml');
  } catch (error) {
    if (error instanceof PolicyFileError) return error.lines();
    throw error;
  }
  throw new Error('expected the policy text to be refused');
}
