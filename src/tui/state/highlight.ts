/** `text` cut into runs that do and do not hold `term` (any case): the search's matches in a row. */
export function highlightSpans(text: string, term: string): { text: string; match: boolean }[] {
  const lower = text.toLowerCase();
  const needle = term.toLowerCase();
  const spans: { text: string; match: boolean }[] = [];
  let at = 0;
  for (let found = needle === '' ? -1 : lower.indexOf(needle); found >= 0; found = lower.indexOf(needle, at)) {
    if (found > at) spans.push({ text: text.slice(at, found), match: false });
    spans.push({ text: text.slice(found, found + needle.length), match: true });
    at = found + needle.length;
  }
  if (at < text.length || spans.length === 0) spans.push({ text: text.slice(at), match: false });
  return spans;
}
