/**
 * Where each pane goes for a terminal size. Computed, not left to flexbox, so that every pane
 * knows its exact width and height: text is cut to fit instead of pushing borders around.
 *
 *   header                                   1 row
 *   jobs │ output                            the rest
 *        │ timing │ exit                     5 rows (4 when short)
 *        │ receipt                           5 rows (4 when short)
 *   stdin                                    3 rows
 *   footer                                   1 row
 */
export interface Size {
  width: number;
  height: number;
}

export interface Layout {
  tooSmall: boolean;
  width: number;
  height: number;
  main: Size;
  jobs: Size;
  output: Size;
  timing: Size;
  exit: Size;
  receipt: Size;
  stdin: Size;
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 18;

export function computeLayout(columns: number, rows: number): Layout {
  const width = Math.max(1, columns);
  const height = Math.max(1, rows);
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const mainHeight = Math.max(0, height - 5);
  const jobsWidth = Math.min(44, Math.max(28, Math.round(width * 0.37)));
  const rightWidth = Math.max(0, width - jobsWidth);
  const roomy = mainHeight - 10 >= 5;
  const paneHeight = roomy ? 5 : 4;
  // Timing's phase line needs a little more room than Exit's message, which wraps anyway.
  const timingWidth = Math.ceil(rightWidth * 0.55);
  return {
    tooSmall,
    width,
    height,
    main: { width, height: mainHeight },
    jobs: { width: jobsWidth, height: mainHeight },
    output: { width: rightWidth, height: Math.max(0, mainHeight - 2 * paneHeight) },
    timing: { width: timingWidth, height: paneHeight },
    exit: { width: rightWidth - timingWidth, height: paneHeight },
    receipt: { width: rightWidth, height: paneHeight },
    stdin: { width, height: 3 },
  };
}

/** Inside a Panel: one border column each side plus one column of padding each side. */
export function innerWidth(size: Size): number {
  return Math.max(0, size.width - 4);
}

/** Inside a Panel: the title line and the bottom border. */
export function innerHeight(size: Size): number {
  return Math.max(0, size.height - 2);
}
