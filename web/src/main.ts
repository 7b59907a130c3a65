// The report page's entry: draws the report of the results document inlined in the page
// (<script type="application/json" id="nadra-results">); without one, leaves
// window.nadra.renderReport for a page's own code to call with each document. (The live page has
// its own entry, src/live/main.ts, which imports the report's renderers.)
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
  // Charts are sized to the window: drawn again when its width changes by much, keeping the
  // reader's place.
  let drawnAt = container.clientWidth;
  let timer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (Math.abs(container.clientWidth - drawnAt) < 80) return;
      drawnAt = container.clientWidth;
      const y = window.scrollY;
      void renderReport(container, doc).then(() => window.scrollTo(0, y));
    }, 300);
  });
}
