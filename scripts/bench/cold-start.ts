import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '#local/cloud.ts';
import { option, printFigures } from './args.ts';

/**
 * `npm run bench:cold-start`: per Lambda function, the zipped artifact `npx serverless package`
 * builds and the time its bundled handler module takes to load in a fresh Node process (the
 * module initialisation of a cold start: reading env, building clients, loading and validating
 * the policy file; median of --runs, default 15, the function and its baseline taking turns), against a baseline: a bundle that only imports
 * and constructs the same AWS SDK clients (read from the bundle's source map), built with the
 * settings of serverless.yml's custom.esbuild, zipped and loaded the same way. Each process gets
 * the function's environment from the packaged CloudFormation template (NODE_OPTIONS included:
 * --enable-source-maps makes Node read the bundle's source map at load, a real cold-start cost).
 * `--package-dir DIR` reuses a `serverless package --package DIR` output. Not a test.
 */
const RUNS = option('runs', 15);
const given = process.argv.indexOf('--package-dir');
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-cold-start-'));
const packageDir = given >= 0 ? path.resolve(process.argv[given + 1]!) : packageService(path.join(work, 'package'));

/** The settings of serverless.yml's custom.esbuild, which the baseline is built with. */
const ESBUILD = { bundle: true, minify: true, sourcemap: 'linked', sourcesContent: false, target: 'node22', platform: 'node', format: 'cjs' } as const;

interface LambdaFunction {
  key: string;
  handlerFile: string;
  environment: Record<string, string>;
}

const functions = lambdaFunctions(JSON.parse(readFileSync(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')));
const lines: string[] = [];
let worst = 0;
for (const fn of functions) {
  const dir = path.join(work, fn.key);
  execFileSync('unzip', ['-q', '-o', path.join(packageDir, `${fn.key}.zip`), '-d', dir]);
  const handler = path.join(dir, fn.handlerFile);
  const clients = sdkClientsIn(`${handler}.map`);
  const baseline = await baselineBundle(path.join(work, `${fn.key}-baseline`), clients);
  const env = { ...fn.environment, LAMBDA_TASK_ROOT: dir, AWS_REGION: 'us-east-1' };
  const [own, base] = medianLoadMs([handler, baseline.file], env) as [number, number];
  const ratio = own / base;
  worst = Math.max(worst, ratio);
  const zipped = statSync(path.join(packageDir, `${fn.key}.zip`)).size;
  lines.push(
    `${fn.key.padEnd(20)} zip ${kib(zipped)} (baseline ${kib(baseline.zipped)}, ${(zipped / baseline.zipped).toFixed(2)}×)  ` +
      `init ${own.toFixed(0)} ms (baseline ${base.toFixed(0)} ms, ${ratio.toFixed(2)}×)  clients: ${clients.join(', ')}`,
  );
}
lines.push(`worst init ratio ${worst.toFixed(2)}× (goal ≤ 1.30×); median of ${RUNS} fresh processes each; package: ${packageDir}`);
printFigures('cold start: zipped artifact and module initialisation per function', lines);

function packageService(dir: string): string {
  execFileSync('npx', ['serverless', 'package', '--stage', 'bench', '--package', dir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

/** The functions of the packaged template: handler file (`functions/x.cjs`) and environment. */
function lambdaFunctions(template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }): LambdaFunction[] {
  const zips = new Set(readdirSync(packageDir).filter((file) => file.endsWith('.zip')).map((file) => file.slice(0, -4)));
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, { Properties }]) => {
      const key = [...zips].find((name) => `${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction` === logicalId);
      if (!key) throw new Error(`No zip in ${packageDir} for ${logicalId}`);
      const handler = String(Properties.Handler);
      const variables = (Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      // Every value here is a plain string (serverless.yml gives names, not !Ref); others would be deploy-time references.
      const environment = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : `bench-${name}`]));
      return { key, handlerFile: `${handler.slice(0, handler.lastIndexOf('.'))}.cjs`, environment };
    });
}

/** The AWS SDK client packages a bundle holds, from its source map (`node_modules/@aws-sdk/client-sfn/…`). */
function sdkClientsIn(mapFile: string): string[] {
  const { sources } = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  const packages = sources.flatMap((source) => /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\//.exec(source)?.[1] ?? []);
  return [...new Set(packages)].sort();
}

/** A handler that builds one client of each package at module scope, as the functions do, and nothing else. */
async function baselineBundle(dir: string, packages: readonly string[]): Promise<{ file: string; zipped: number }> {
  mkdirSync(dir, { recursive: true });
  const imports: string[] = [];
  const clients: string[] = [];
  for (const [index, name] of packages.entries()) {
    if (name === '@aws-sdk/lib-dynamodb') {
      imports.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`, `import { DynamoDBClient as DocumentBase } from '@aws-sdk/client-dynamodb';`);
      clients.push('DynamoDBDocumentClient.from(new DocumentBase({}))');
      continue;
    }
    const exported = Object.keys(await import(name)).find((key) => /^[A-Z][A-Za-z0-9]*Client$/.test(key));
    if (!exported) throw new Error(`${name} exports no client class`);
    imports.push(`import { ${exported} as Client${index} } from '${name}';`);
    clients.push(`new Client${index}({})`);
  }
  const entry = path.join(dir, 'baseline.ts');
  writeFileSync(entry, `${imports.join('\n')}\nconst clients = [${clients.join(', ')}];\nexport const handler = async () => clients.length;\n`);
  const file = path.join(dir, 'functions', 'baseline.cjs');
  await build({ ...ESBUILD, entryPoints: [entry], outfile: file, absWorkingDir: PROJECT_ROOT, nodePaths: [path.join(PROJECT_ROOT, 'node_modules')], logLevel: 'error' });
  const zip = path.join(dir, 'baseline.zip');
  execFileSync('zip', ['-q', '-r', zip, 'functions'], { cwd: dir });
  return { file, zipped: statSync(zip).size };
}

/**
 * Median wall time of loading each file in a fresh Node process, measured inside it with
 * process.hrtime. The files take turns run by run, so a change in the machine's load (other work
 * shares its cores) weighs on each of them alike rather than on whichever ran then.
 */
function medianLoadMs(files: readonly string[], env: Record<string, string>): number[] {
  const { NODE_OPTIONS = '', ...rest } = env;
  const times = files.map(() => [] as number[]);
  for (let run = 0; run < RUNS; run += 1) {
    files.forEach((file, index) => {
      const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
      const out = execFileSync(process.execPath, [...NODE_OPTIONS.split(' ').filter(Boolean), '-e', script], { env: { PATH: process.env.PATH, ...rest }, encoding: 'utf8' });
      times[index]!.push(Number(out));
    });
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
