import { afterEach, beforeEach, vi } from 'vitest';
import { main } from '../../cli/autopilot.ts';
import { LOCAL_CREDENTIALS, type LocalCloud } from '#local/cloud.ts';

/**
 * Running `autopilot …` in this process, as an operator would: against a test's local cloud
 * through the SDK's own environment (AWS_ENDPOINT_URL, AWS_REGION, credentials) and nothing else,
 * or with no AWS environment at all for the commands that need no cloud (`plan`, `validate`).
 * Call in a describe block; each test gets that environment with `NO_COLOR` unset, and stdout's
 * terminal properties put back afterwards.
 */
export function useAutopilotCli(local?: { readonly cloud: LocalCloud }) {
  const saved = {
    isTTY: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'),
    columns: Object.getOwnPropertyDescriptor(process.stdout, 'columns'),
  };

  beforeEach(() => {
    if (local) {
      vi.stubEnv('AWS_ENDPOINT_URL', local.cloud.url);
      vi.stubEnv('AWS_REGION', local.cloud.region);
      vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
      vi.stubEnv('AWS_PROFILE', undefined);
    }
    vi.stubEnv('NO_COLOR', undefined);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    for (const [name, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(process.stdout, name, descriptor);
      else delete (process.stdout as unknown as Record<string, unknown>)[name];
    }
  });

  /** Runs `autopilot <args>` with stdout a pipe, or a TTY of `columns` columns: its exit code and what it printed. */
  return async function autopilot(args: string[], terminal: { tty?: boolean; columns?: number } = {}) {
    Object.defineProperty(process.stdout, 'isTTY', { value: terminal.tty ?? false, configurable: true, writable: true });
    Object.defineProperty(process.stdout, 'columns', { value: terminal.columns, configurable: true, writable: true });
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    try {
      const code = await main(['node', 'autopilot', ...args]);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  };
}
