/**
 * The offset of the first character that cannot continue a JSON text (text.length when the text
 * ends too early), or null when the text is valid or too deeply nested to scan. Node 20's V8 names
 * no position for an unexpected token or a premature end, so plasm-tui finds it itself.
 * (jsonc-parser was tried: it reports where a token starts rather than the character V8 rejects,
 * and a deeply nested file overflows its stack, so a hostile manifest could crash the caller.)
 */
export function syntaxErrorOffset(text: string): number | null {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxAt(i);
  };
  const space = (): void => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      i++;
      if (c === '"') return;
      if (c === '\\') {
        if (text[i] === 'u') for (let n = 0; n < 4; n++) /[0-9a-fA-F]/.test(text[++i] ?? '') || fail();
        else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
        i++;
      }
    }
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[i] ?? '')) fail();
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (c !== literal[0]) continue;
      for (const expected of literal) text[i] === expected ? i++ : fail();
      return;
    }
    if (c === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') (i++, digits());
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  try {
    value();
    space();
    return i < text.length ? i : null;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    return null; // nested too deeply for this scanner
  }
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}
