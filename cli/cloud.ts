import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { LocalCloud } from '#local/cloud.ts';
import { driveInRealtime } from '#local/realtime.ts';
import type { SeedDocument } from '#local/service.ts';
import { parseIsoTime } from '#local/time.ts';

/**
 * `autopilot cloud`: runs the local cloud in the foreground and prints, one per line, the
 * environment a shell or a test needs (`eval "$(…)"`-able KEY=value lines on stdout; everything
 * else goes to stderr so the output works in pipes).
 */
export function registerCloudCommand(program: Command): void {
  program
    .command('cloud')
    .description('run the local cloud (WorkSpaces, AppStream, DynamoDB, Step Functions, EventBridge, Slack sink)')
    .option('-p, --port <port>', 'port to listen on; 0 picks a free port', parsePort, 4566)
    .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
    .option('--region <region>', 'AWS Region the cloud answers as', 'us-east-1')
    .option('--seed <file>', 'seed document (YAML or JSON) with pools, fleets, WorkSpaces, applications, usage')
    .option('--start-time <iso>', 'local-cloud time at start (default: now)')
    .option('--stage <stage>', 'serverless.yml stage whose functions and rules run', 'local')
    .option('--quiet', "do not echo the functions' log lines to stderr")
    .option('--clock <mode>', 'realtime: local time follows the wall clock; manual: it moves only through /_local/clock', parseClockMode, 'realtime')
    .option('--speed <factor>', 'with --clock realtime, how many local seconds pass per wall second', parseSpeed, 1)
    .action(async (options: CloudOptions) => {
      const cloud = await LocalCloud.start({
        port: options.port,
        host: options.host,
        region: options.region,
        stage: options.stage,
        echoFunctionLogs: !options.quiet,
        ...(options.startTime ? { startTime: new Date(parseIsoTime(options.startTime, '--start-time')) } : {}),
        ...(options.seed ? { seed: await readSeed(options.seed) } : {}),
      });
      const stopClock = options.clock === 'realtime' ? driveInRealtime(cloud.clock, { speed: options.speed }) : () => undefined;
      for (const [key, value] of Object.entries(cloud.env())) process.stdout.write(`${key}=${value}\n`);
      process.stderr.write(
        `local cloud listening on ${cloud.url} (admin API: ${cloud.url}/_local/health), clock ${options.clock}` +
          `${options.clock === 'realtime' ? ` ×${options.speed}` : ''}; Ctrl-C stops it\n`,
      );
      await untilSignal();
      stopClock();
      await cloud.stop();
    });
}

interface CloudOptions {
  port: number;
  host: string;
  region: string;
  seed?: string;
  startTime?: string;
  stage: string;
  quiet?: boolean;
  clock: 'realtime' | 'manual';
  speed: number;
}

export async function readSeed(file: string): Promise<SeedDocument> {
  const document: unknown = parseYaml(await readFile(file, 'utf8'));
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(`${file}: a seed document must be a mapping (pools, fleets, … at the top level)`);
  }
  return document as SeedDocument;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parseClockMode(value: string): 'realtime' | 'manual' {
  if (value !== 'realtime' && value !== 'manual') throw new Error(`--clock must be realtime or manual, got "${value}"`);
  return value;
}

function parseSpeed(value: string): number {
  const speed = Number(value);
  if (!(speed > 0)) throw new Error(`--speed must be a positive number (e.g. 60 for a minute a second), got "${value}"`);
  return speed;
}

export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
