import { describe, expect, it } from 'vitest';
import { parseCloudWatchTrace } from '#lib/backtest/cloudwatch.ts';
import { parseCsvTrace } from '#lib/backtest/csv.ts';
import { TraceFileError } from '#lib/backtest/errors.ts';
import { traceSeries } from '#lib/backtest/trace.ts';

function failure(read: () => unknown): TraceFileError {
  try {
    read();
  } catch (error) {
    if (error instanceof TraceFileError) return error;
    throw error;
  }
  throw new Error('expected a TraceFileError');
}

describe('the CSV trace reader', () => {
  it('reads rows in any order, with a header, comments and blank lines, per target in time order', () => {
    // Prepare
    const text = [
      'timestamp,target,activeSessions',
      '# exported by hand',
      '2026-11-23T08:05:00Z,pool/wspool-berlin001,12',
      '',
      '2026-11-23T08:00:00Z,pool/wspool-berlin001,3',
      '2026-11-23T09:00:00+01:00,fleet/berlin-office-apps,4',
      '2026-11-23T08:10,pool/wspool-berlin001,0',
    ].join('\n');

    // Act
    const trace = parseCsvTrace(text, 'usage.csv');

    // Assess
    expect(trace.targets.map((target) => [target.target, target.kind, target.id])).toEqual([
      ['fleet/berlin-office-apps', 'fleet', 'berlin-office-apps'],
      ['pool/wspool-berlin001', 'pool', 'wspool-berlin001'],
    ]);
    expect(trace.targets[1]!.inUse).toEqual([
      { at: Date.parse('2026-11-23T08:00:00Z'), value: 3 },
      { at: Date.parse('2026-11-23T08:05:00Z'), value: 12 },
      { at: Date.parse('2026-11-23T08:10:00Z'), value: 0 },
    ]);
    expect(trace.targets[0]!.inUse[0]!.at).toBe(Date.parse('2026-11-23T08:00:00Z'));
  });

  it('names the line, column and field of every bad row', () => {
    const text = [
      'timestamp,target,activeSessions',
      '2026-11-23T08:00:00Z,pool/wspool-berlin001,3',
      'yesterday,pool/wspool-berlin001,3',
      '2026-11-23T08:01:00Z, workspace/ws-1,3',
      '2026-11-23T08:02:00Z,pool/wspool-berlin001,-2',
      '2026-11-23T08:03:00Z,pool/wspool-berlin001',
      '2026-11-23T08:00:00Z,pool/wspool-berlin001,4',
    ].join('\n');

    const error = failure(() => parseCsvTrace(text, 'usage.csv'));

    expect(error.message.split('\n').slice(1)).toEqual([
      'usage.csv:3:1: timestamp: "yesterday" is not an ISO 8601 time (2026-11-23T08:00:00Z)',
      'usage.csv:4:23: target: "workspace/ws-1" is not pool/<pool id> or fleet/<fleet name> (letters, digits, "_", "." and "-")',
      'usage.csv:5:44: activeSessions: "-2" is not a whole number ≥ 0',
      'usage.csv:6:1: expected 3 columns (timestamp,target,activeSessions), found 2',
      'usage.csv:7:1: pool/wspool-berlin001 at 2026-11-23T08:00:00.000Z has 4 here and 3 on line 2',
    ]);
    expect(error.issues).toHaveLength(5);
  });

  it('refuses a file without samples', () => {
    expect(failure(() => parseCsvTrace('timestamp,target,activeSessions\n', 'empty.csv')).message).toContain('no samples');
  });
});

describe('the minute grid', () => {
  const at = (time: string) => Date.parse(`2026-11-23T${time}Z`);

  it('holds gaps at the last value, keeps the highest sample of a minute, and starts at 0 before the first sample', () => {
    // Prepare: pool a from 08:00; pool b from 08:02 with two samples in 08:03.
    const trace = {
      source: 'test',
      targets: [
        { target: 'pool/a', kind: 'pool' as const, id: 'a', inUse: [{ at: at('08:00:00'), value: 5 }, { at: at('08:04:00'), value: 1 }] },
        {
          target: 'pool/b',
          kind: 'pool' as const,
          id: 'b',
          inUse: [{ at: at('08:02:00'), value: 2 }, { at: at('08:03:10'), value: 9 }, { at: at('08:03:40'), value: 4 }],
        },
      ],
    };

    // Act
    const series = traceSeries(trace);

    // Assess: 08:00 to 08:05 (a minute after the last sample).
    expect(series.from).toBe(at('08:00:00'));
    expect(series.minutes).toBe(5);
    expect([...series.targets[0]!.inUse]).toEqual([5, 5, 5, 5, 1]);
    expect([...series.targets[1]!.inUse]).toEqual([0, 0, 2, 9, 4]);
  });

  it('takes the value in force at --from from the samples before it, and ends at --to', () => {
    const trace = { source: 'test', targets: [{ target: 'pool/a', kind: 'pool' as const, id: 'a', inUse: [{ at: at('07:00:00'), value: 7 }, { at: at('08:02:00'), value: 3 }] }] };

    const series = traceSeries(trace, { from: at('08:00:30'), to: at('08:04:00') });

    expect(series.from).toBe(at('08:00:00'));
    expect([...series.targets[0]!.inUse]).toEqual([7, 7, 3, 3]);
  });
});

describe('the CloudWatch trace reader', () => {
  const times = ['2026-11-23T08:00:00+00:00', '2026-11-23T08:01:00+00:00'];

  it('places results by --metric-target, a target name, or a pool id in the Label, and keeps ActualCapacity apart', () => {
    // Prepare: what `aws cloudwatch get-metric-data` prints.
    const text = JSON.stringify({
      MetricDataResults: [
        { Id: 'm1', Label: 'wspool-berlin001 ActiveUserSessionCapacity', Timestamps: times, Values: [3, 4.2], StatusCode: 'Complete' },
        { Id: 'm2', Label: 'fleet/berlin-office-apps', Timestamps: times, Values: [1, 2] },
        { Id: 'design', Label: 'InUseCapacity', Timestamps: [times[1]], Values: [2] },
        { Id: 'design_actual', Label: 'ActualCapacity', Timestamps: [times[0]], Values: [4] },
        { Id: 'm5', Label: 'wspool-berlin001 AvailableUserSessionCapacity', Timestamps: times, Values: [1, 1] },
      ],
      Messages: [],
    });

    // Act
    const trace = parseCloudWatchTrace(text, 'metrics.json', { metricTargets: { design: 'fleet/newyork-design-tools', design_actual: 'fleet/newyork-design-tools' } });

    // Assess
    expect(trace.targets.map((target) => target.target)).toEqual(['fleet/berlin-office-apps', 'fleet/newyork-design-tools', 'pool/wspool-berlin001']);
    // A fractional average is rounded up.
    expect(trace.targets[2]!.inUse.map((sample) => sample.value)).toEqual([3, 5]);
    expect(trace.targets[1]!.asRun).toEqual([{ at: Date.parse(times[0]!), value: 4 }]);
    expect(trace.ignored).toEqual(['m5 (wspool-berlin001 AvailableUserSessionCapacity)']);
  });

  it('reads a list of pages and merges their results', () => {
    const page = (value: number, time: string) => ({ MetricDataResults: [{ Id: 'm1', Label: 'pool/wspool-a', Timestamps: [time], Values: [value] }] });

    const trace = parseCloudWatchTrace(JSON.stringify([page(1, times[0]!), page(2, times[1]!)]), 'pages.json');

    expect(trace.targets[0]!.inUse.map((sample) => sample.value)).toEqual([1, 2]);
  });

  it('says which result names no target and how to place it', () => {
    const text = JSON.stringify({ MetricDataResults: [{ Id: 'm1', Label: 'InUseCapacity', Timestamps: times, Values: [1, 2] }] });

    const error = failure(() => parseCloudWatchTrace(text, 'metrics.json'));

    expect(error.message).toContain(
      'metrics.json: MetricDataResults[0].Id: result "m1" (Label "InUseCapacity") names no pool or fleet: add --metric-target m1=pool/<pool id> or --metric-target m1=fleet/<fleet name>',
    );
  });

  it('names bad timestamps and values by their place, and lists mismatched lengths', () => {
    const text = JSON.stringify({
      MetricDataResults: [
        { Id: 'a', Label: 'pool/wspool-a', Timestamps: ['then', times[1]], Values: [1, -1] },
        { Id: 'b', Label: 'pool/wspool-b', Timestamps: times, Values: [1] },
      ],
    });

    const error = failure(() => parseCloudWatchTrace(text, 'metrics.json'));

    expect(error.message.split('\n').slice(1)).toEqual([
      'metrics.json: MetricDataResults[0].Timestamps[0]: "then" is not an ISO 8601 time',
      'metrics.json: MetricDataResults[0].Values[1]: -1 is not a number ≥ 0',
      'metrics.json: MetricDataResults[1]: 2 Timestamps but 1 Values',
    ]);
  });

  it('gives the line and column of broken JSON, and refuses a --metric-target that matches nothing', () => {
    const broken = failure(() => parseCloudWatchTrace('{\n  "MetricDataResults": [\n    { "Id": "m1", }\n  ]\n}', 'broken.json'));
    expect(broken.message).toMatch(/^broken\.json has a mistake:\nbroken\.json:3:\d+: not JSON/);

    const text = JSON.stringify({ MetricDataResults: [{ Id: 'm1', Label: 'pool/wspool-a', Timestamps: times, Values: [1, 2] }] });
    expect(failure(() => parseCloudWatchTrace(text, 'metrics.json', { metricTargets: { m9: 'pool/wspool-b' } })).message).toContain(
      '--metric-target: "m9" is the Id or Label of no result in the file',
    );
  });
});
