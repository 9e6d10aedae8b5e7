// PLACEHOLDER — replaced by the EventBridge / Step Functions / Lambda runtime.
import type { Runtime, RuntimeDeps } from './service.ts';
export async function createRuntime(_deps: RuntimeDeps): Promise<Runtime> {
  return {
    emulators: [],
    publish: () => undefined,
    start: () => undefined,
    stop: async () => undefined,
    snapshot: () => ({ executions: [], deliveries: [], rules: [] }),
  };
}
