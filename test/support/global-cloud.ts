import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup: starts `autopilot cloud --port 0` as a separate process, exactly as a
 * developer would, and hands the environment it prints to the tests (`inject('cloudEnv')`).
 * Files that change the clock, faults or usage start a cloud of their own (test/support/cloud.ts).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    cloudEnv: Record<string, string>;
  }
}

const EXPECTED = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'SLACK_WEBHOOK_URL'];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['bin/autopilot.mjs', 'cloud', '--port', '0'], {
    cwd: project.config.root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const env = await readEnv(child, () => stderr);
  project.provide('cloudEnv', env);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
}

function readEnv(child: ChildProcess, stderr: () => string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    const timer = setTimeout(() => reject(new Error(`autopilot cloud printed no environment in 30 s:\n${stderr()}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`autopilot cloud exited with ${code}:\n${stderr()}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^([A-Z_]+)=(.*)$/.exec(line);
      if (match) env[match[1]!] = match[2]!;
      if (EXPECTED.every((key) => key in env)) {
        clearTimeout(timer);
        resolve(env);
      }
    });
  });
}
