// The page's entry: draws the report of the results document inlined in the page
// (<script type="application/json" id="nadra-results">); without one (the live page), leaves
// window.nadra.renderReport for the page's own code to call with each document.
import type { ResultsDocument } from './document';
import { renderReport } from './report/render';

declare global {
  interface Window {
    nadra: { renderReport: typeof renderReport };
  }
}

window.nadra = { renderReport };

const inlined = document.getElementById('nadra-results');
const container = document.getElementById('report');
if (inlined && container) {
  const doc = JSON.parse(inlined.textContent ?? 'null') as ResultsDocument;
  void renderReport(container, doc);
}
