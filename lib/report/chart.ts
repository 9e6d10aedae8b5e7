import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Series } from '#lib/backtest/meter.ts';

/**
 * Charts for reports as SVG, made in Node: a Vega-Lite spec compiled to Vega and rendered with
 * the headless renderer (`renderer: 'none'`, `toSVG()`), so a report needs no script and no
 * network to show them. Vega escapes the text it writes into the SVG.
 */
export interface CapacityChart {
  title: string;
  /** Axis title for the values: `sessions`, `instances`. */
  unit: string;
  /** Epoch ms of minute 0 of every series. */
  from: number;
  /** Sessions wanted, drawn as a grey area. */
  inUse: { label: string; series: Series };
  /** Capacity lines, in legend order. */
  lines: Array<{ label: string; series: Series }>;
  width?: number;
  height?: number;
}

/** Line colours: policies first, then the baselines (Tableau 10, readable on white). */
const COLORS = ['#4e79a7', '#e15759', '#59a14f', '#b07aa1', '#f28e2b', '#76b7b2', '#edc948', '#9c755f', '#ff9da7'];

export function capacityChartSpec(chart: CapacityChart): TopLevelSpec {
  const points = (label: string, series: Series) =>
    series.minutes.map((minute, index) => ({ t: chart.from + minute * 60_000, v: series.values[index]!, s: label }));
  const labels = chart.lines.map((line) => line.label);
  const x = { field: 't', type: 'temporal' as const, scale: { type: 'utc' as const }, title: 'time (UTC)', axis: { labelOverlap: true, format: '%a %d %b %H:%M' } };
  const y = { field: 'v', type: 'quantitative' as const, title: chart.unit };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: chart.width ?? 900,
    height: chart.height ?? 260,
    layer: [
      {
        data: { values: points(chart.inUse.label, chart.inUse.series) },
        mark: { type: 'area', interpolate: 'step-after', color: '#bab0ac', opacity: 0.6 },
        encoding: { x, y },
      },
      {
        data: { values: chart.lines.flatMap((line) => points(line.label, line.series)) },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.4 },
        encoding: {
          x,
          y,
          color: {
            field: 's',
            type: 'nominal',
            title: `Capacity available (grey area: ${chart.inUse.label})`,
            scale: { domain: labels, range: COLORS.slice(0, labels.length) },
            legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 480, titleLimit: 900, columns: 3 },
          },
        },
      },
    ],
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}

/** The chart as an SVG document fragment (`<svg …>…</svg>`). */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
