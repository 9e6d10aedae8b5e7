import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBacktestReport } from '#lib/report/backtest-report.ts';
import { demoBacktest } from './support.ts';

/**
 * The report as a person sees it: written to a file and opened in a real browser (Debian's
 * chromium, driven by playwright-core), offline. Never skipped: without chromium it fails and
 * says how to install it.
 */
const CHROMIUM = '/usr/bin/chromium';

describe('the backtest report in a browser', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'report-'));
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing, so the report cannot be checked in a browser: install it with ` +
          '`apt-get update && apt-get install -y --no-install-recommends chromium` (as root; .ci/run does this before npm test)',
      );
    }
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('renders every chart and the summary table, with nothing fetched from the network', async () => {
    // Prepare
    const result = demoBacktest();
    const file = path.join(scratch, 'report.html');
    writeFileSync(file, await renderBacktestReport(result));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const fetched: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => fetched.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));

    // Act
    await page.goto(pathToFileURL(file).href);
    const charts = await page.locator('section.chart').evaluateAll((sections) =>
      sections.map((section) => {
        const svg = section.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const paths = [...(svg?.querySelectorAll('path') ?? [])].filter((element) => (element.getAttribute('d') ?? '').length > 20);
        const lines = svg ? [...svg.querySelectorAll('.mark-line path, .mark-area path')] : [];
        return {
          target: section.getAttribute('data-target'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          paths: paths.length,
          marks: lines.filter((element) => {
            const size = (element as unknown as { getBBox(): { width: number } }).getBBox();
            // A flat line (the static baseline) has no height; every mark spans the time axis.
            return size.width > 0;
          }).length,
        };
      }),
    );
    const totals = await page.locator('table#totals tbody tr').allTextContents();
    const perTarget = await page.locator('table#targets tbody tr').count();
    await page.close();

    // Assess: a chart per target, each with the in-use area and a line per scenario drawn at a visible size.
    expect(charts.map((chart) => chart.target)).toEqual(result.targets.map((target) => target.target));
    for (const chart of charts) {
      expect(chart.width, chart.target ?? '').toBeGreaterThan(300);
      expect(chart.height, chart.target ?? '').toBeGreaterThan(100);
      expect(chart.marks, chart.target ?? '').toBeGreaterThanOrEqual(1 + result.scenarios.length);
      expect(chart.paths, chart.target ?? '').toBeGreaterThan(0);
    }
    expect(totals).toHaveLength(result.scenarios.length);
    expect(totals[0]).toContain('policies');
    expect(perTarget).toBe(result.targets.length * result.scenarios.length);
    expect(fetched.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
