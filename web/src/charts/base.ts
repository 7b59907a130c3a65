// What every chart shares: the config, field encodings, the year axis, and how charts fit the
// window (a chart is given the width it may take, and sizes its panels to fit it).
import type { Rich } from '../rich';

export type Spec = Record<string, unknown>;

// A chart's spec, or none (the chart is left out and the note says why), and its note.
export interface Chart {
  spec: Spec | null;
  note: Rich;
}

export const colours = {
  ink: '#1a202c',
  host: '#2c5282',
  partner: '#c05621',
  zone: '#2f855a',
  frontier: '#2b6cb0',
  other: '#a0aec0',
  good: '#276749',
  quadrant: '#c6f6d5',
  axis: '#2d3748',
};

export function spec(): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: {
      font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 12 },
      header: { labelFontSize: 13, labelFontWeight: 'bold' },
      title: { fontSize: 13, anchor: 'start' },
      legend: { labelFontSize: 12 },
    },
  };
}

export function field(name: string, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { field: name, type, ...extra };
}

export function yearAxis(): Record<string, unknown> {
  return field('year', 'quantitative', { axis: { format: 'd', title: null }, scale: { nice: false } });
}

export const topLegend = { orient: 'top', direction: 'horizontal', symbolOpacity: 1 };

// A rule at 0 along x or y.
export function zeroLine(channel: 'x' | 'y'): Spec {
  return {
    data: { values: [{}] },
    mark: { type: 'rule', color: colours.axis, strokeWidth: 1 },
    encoding: { [channel]: { datum: 0, type: 'quantitative' } },
  };
}

// The quadrant where both gain (x > 0 and y > 0), shaded.
export function bothGainQuadrant(opacity: number): Spec {
  return {
    data: { values: [{}] },
    mark: { type: 'rect', color: colours.quadrant, opacity },
    encoding: {
      x: { datum: 0, type: 'quantitative' },
      x2: { value: 'width' },
      y: { datum: 0, type: 'quantitative' },
      y2: { value: 0 },
    },
  };
}

// How many panels of `panel` pixels (plus room for an axis) fit across `width`, and the panels'
// width that fills it; at least one panel, at most `most`.
export function panels(width: number, panel: number, most: number): { columns: number; width: number } {
  const room = 90; // a panel's y axis and title, and the gap to the next
  const columns = Math.max(1, Math.min(most, Math.floor(width / (panel + room))));
  return { columns, width: Math.max(160, Math.floor(width / columns) - room) };
}

// A single view's plot width for `width` pixels of page, leaving room for its axis and labels.
export function plotWidth(width: number, room = 160, widest = 1100): number {
  return Math.max(240, Math.min(widest, width - room));
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
