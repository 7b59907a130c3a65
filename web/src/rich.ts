// Text with a little markup, built without a DOM so that the chart modules stay pure (and
// testable in node): strings, and strong, emphasised or code spans.
export type RichPart = string | { strong: string } | { em: string } | { code: string };
export type Rich = RichPart[];

export function richText(rich: Rich): string {
  return rich.map((part) => (typeof part === 'string' ? part : Object.values(part)[0])).join('');
}
