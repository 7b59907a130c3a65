// A run as the report reads it: its deals, the one others are compared with, its terms.
import type { DealTerms, ResultsDocument, Summary, Terms } from './document';

export interface RunView {
  summary: Summary;
  terms: Terms | null;
  deals: string[];
  reference: string; // no_deal where the run has it, else the first deal
  lastYear: number;
  width: number; // the pixels a chart may take
  dealTerms(name: string): DealTerms | undefined;
}

export function runView(doc: ResultsDocument, width: number): RunView | null {
  const summary = doc.summary;
  if (!summary) return null;
  const deals = summary.deals.map((d) => d.name);
  const terms = doc.terms;
  return {
    summary,
    terms,
    deals,
    reference: deals.includes('no_deal') ? 'no_deal' : (deals[0] ?? ''),
    lastYear: summary.start_year + summary.horizon - 1,
    width,
    dealTerms: (name) => terms?.deals.find((d) => d.name === name),
  };
}

// The pair (deal, reference) of summary.json's differences, which hold a - b: its metrics and
// whether they must be negated to read deal - reference.
export function pairWith(run: RunView, deal: string) {
  for (const difference of run.summary.differences) {
    if (difference.a === deal && difference.b === run.reference) return { difference, negate: false };
    if (difference.b === deal && difference.a === run.reference) return { difference, negate: true };
  }
  return undefined;
}
