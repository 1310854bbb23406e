import { describe, expect, it } from 'vitest';
import { highlightSpans } from '../../src/tui/state/highlight.js';

describe('search highlight', () => {
  it('marks every occurrence of the term in any case, and keeps the text around them', () => {
    expect(highlightSpans('Needle in a needle stack', 'need')).toEqual([
      { text: 'Need', match: true },
      { text: 'le in a ', match: false },
      { text: 'need', match: true },
      { text: 'le stack', match: false },
    ]);
  });

  it('leaves a row without the term, or with no term, as it is', () => {
    expect(highlightSpans('hay', 'need')).toEqual([{ text: 'hay', match: false }]);
    expect(highlightSpans('hay', '')).toEqual([{ text: 'hay', match: false }]);
    expect(highlightSpans('', 'x')).toEqual([{ text: '', match: false }]);
    expect(highlightSpans('aaaa', 'aa')).toEqual([{ text: 'aa', match: true }, { text: 'aa', match: true }]);
  });
});
