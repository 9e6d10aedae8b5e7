import type { DecisionDiff, RunFigures } from './figures.ts';
import type { RunRecord } from './run.ts';

/**
 * The campaign's figures as text: the six goal figures side by side (clean run, faulted run), the
 * capacity episodes that differ with how each reads, the crashes dealt, then the detail of every goal missed.
 */
export function campaignReport(clean: { run: RunRecord; figures: RunFigures }, faulted: { run: RunRecord; figures: RunFigures }, diff: DecisionDiff): string[] {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const row = (label: string, a: number | string, b: number | string) => `  ${label.padEnd(58)} ${String(a).padStart(8)} ${String(b).padStart(8)}`;
  const lines = [
    `Fault campaign: ${iso(faulted.run.scenario.from)} → ${iso(faulted.run.scenario.to)} UTC (clean run ${clean.run.wallSeconds.toFixed(0)} s, faulted run ${faulted.run.wallSeconds.toFixed(0)} s of wall time)`,
    '',
    row('', 'clean', 'faulted'),
    row('capacity decisions that differ from the clean run (minutes × targets)', '-', `${diff.differing}/${diff.compared}`),
    row('  … in episodes read as the same decision delayed (≤ 15 min)', '-', diff.episodes.filter((e) => e.explanation === 'delayed').length),
    row('  … in other episodes', '-', diff.episodes.filter((e) => e.explanation === 'other').length),
    row('audit items lost (actions without their audit item)       goal 0', clean.figures.auditLost.length, faulted.figures.auditLost.length),
    row('duplicate actions (same change, start, stop, deployment)  goal 0', clean.figures.duplicateActions.length, faulted.figures.duplicateActions.length),
    row('two workflows at once on one target                       goal 0', clean.figures.overlappingWorkflows.length, faulted.figures.overlappingWorkflows.length),
    row('compatible deployments not completed                      goal 0', clean.figures.deploymentsNotCompleted.length, faulted.figures.deploymentsNotCompleted.length),
    row('  … and still under way at the end (made shortly before it)', clean.figures.deploymentsUnderWay.length, faulted.figures.deploymentsUnderWay.length),
    row('moments below sessions in use (minutes × targets)         goal 0', clean.figures.belowInUse.length, faulted.figures.belowInUse.length),
    row('Slack notices lost without an audit record                goal 0', clean.figures.slackLost.length, faulted.figures.slackLost.length),
    '',
    'Context:',
    ...Object.keys(faulted.figures.context).map((key) => row(key, clean.figures.context[key] ?? 0, faulted.figures.context[key] ?? 0)),
  ];
  if (diff.episodes.length > 0) {
    lines.push('', 'Capacity episodes that differ (desired capacity, clean vs faulted):');
    for (const e of diff.episodes) {
      const values = (list: number[]) => [...new Set(list)].join('/');
      lines.push(`  ${iso(e.from)} ${e.target.padEnd(30)} ${String(e.minutes).padStart(4)} min  clean ${values(e.clean)} faulted ${values(e.faulted)}  ${e.explanation === 'delayed' ? `same decision ${e.lagMinutes} min apart` : 'not a delay'}`);
    }
  }
  if (faulted.run.crashes.length > 0) {
    const dealt = new Map<string, number>();
    for (const { operation, caller } of faulted.run.crashes) {
      const crash = `${caller.replace(/^.*-local-/, '')} after ${operation}`;
      dealt.set(crash, (dealt.get(crash) ?? 0) + 1);
    }
    lines.push('', 'Lambda crashes dealt in the faulted run:', ...[...dealt].map(([crash, count]) => `  ${String(count).padStart(4)}  ${crash}`));
  }
  for (const { action, error } of faulted.run.refused) lines.push('', `Operator action refused in the faulted run: ${iso(action.at)} ${action.kind}: ${error}`);
  for (const [label, figures] of [['clean', clean.figures], ['faulted', faulted.figures]] as const) {
    const missed = [
      ...figures.auditLost.map((a) => `audit item lost: ${iso(a.at)} ${a.operation} ${a.target}${a.value === undefined ? '' : ` → ${a.value}`} by ${a.by}`),
      ...figures.duplicateActions.map((a) => `duplicate action: ${iso(a.at)} ${a.operation} ${a.target}${a.value === undefined ? '' : ` → ${a.value}`} by ${a.by}`),
      ...figures.overlappingWorkflows.map(([a, b]) => `two workflows at once: ${a} and ${b}`),
      ...figures.deploymentsNotCompleted.map(({ action, state }) => `deployment not completed: ${iso(action.at)} ${action.kind} ${'applicationId' in action ? `${action.applicationId} on ${action.workspaceId}` : ''} (${state})`),
      ...figures.deploymentsUnderWay.map(({ action, state }) => `deployment under way at the end (not a miss): ${iso(action.at)} ${action.kind} ${'applicationId' in action ? `${action.applicationId} on ${action.workspaceId}` : ''} (${state})`),
      ...figures.belowInUse.slice(0, 20).map((s) => `below sessions in use: ${iso(s.at)} ${s.target} desired ${s.desired} < ${s.inUse} in use`),
      ...figures.slackLost.map((n) => `Slack notice lost: ${n.detailType} ${n.what} (event ${n.eventId})`),
    ];
    if (missed.length > 0) lines.push('', `Goals missed in the ${label} run:`, ...missed.map((text) => `  ${text}`));
  }
  return lines;
}
