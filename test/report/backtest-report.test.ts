import { describe, expect, it } from 'vitest';
import { runBacktest } from '#lib/backtest/run.ts';
import { escapeHtml, renderBacktestReport } from '#lib/report/backtest-report.ts';
import { MONDAY, policy, policyFile, steps, traceOf } from '../backtest/support.ts';
import { demoBacktest } from './support.ts';

describe('the backtest report', () => {
  it('is one self-contained page: a chart per target as inline SVG, the totals and per-target tables, nothing fetched', async () => {
    // Act
    const html = await renderBacktestReport(demoBacktest());

    // Assess
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<section class="chart"/g)).toHaveLength(4);
    expect(html.match(/<svg [^>]*class="marks"/g)).toHaveLength(4);
    expect(html).toContain('<table id="totals"');
    expect(html).toContain('<table id="targets"');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).toContain('Prices of pool and fleet are placeholders, not AWS prices');
  });

  it('escapes every text that comes from outside', async () => {
    // Prepare: a trace and a policy file named to break the page.
    const trace = { ...traceOf({ 'pool/wspool-a': steps(120, [[0, 3]]) }), source: '<script>alert(1)</script>.csv' };
    const file = policyFile([policy({ targets: [{ kind: 'pool', id: 'wspool-a' }] })]);
    const result = runBacktest({ trace, policySets: [{ label: 'a "quoted" <b>label</b>', path: 'x&y.yml', file }] });

    // Act
    const html = await renderBacktestReport(result);

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>label</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.csv');
    expect(html).toContain('x&amp;y.yml');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(Date.parse(result.from)).toBe(MONDAY);
  });
});
