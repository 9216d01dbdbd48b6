// Wrapping the text report to a terminal's width: pure string work, aware of the colour escapes chalk adds.
// A line longer than the width breaks at spaces; continuation lines are indented two columns past the line's own
// indent (a hanging indent), colours are closed at the break and reopened after the indent, and a word is never split.
// Only a single token wider than the whole line (a long URL or path) is broken, after punctuation where it has some.

/** Joins the words of a value so the wrapper keeps it on one line when it fits (see `keepWhole`). */
const GLUE = '\uE000';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex
const LEADING_ANSI = /^\u001b\[[0-9;]*m/;

/** The SGR codes that close what an opening code starts (chalk closes each style with its own code). */
const CLOSES: Record<string, string> = {
  '0': 'all',
  '22': 'intensity',
  '23': 'italic',
  '24': 'underline',
  '27': 'inverse',
  '28': 'hidden',
  '29': 'strike',
  '39': 'fg',
  '49': 'bg',
};

function styleSlot(code: string): string | undefined {
  const n = Number(code.split(';')[0]);
  if (n === 1 || n === 2) return 'intensity';
  if (n === 3) return 'italic';
  if (n === 4) return 'underline';
  if (n === 7) return 'inverse';
  if (n === 8) return 'hidden';
  if (n === 9) return 'strike';
  if ((n >= 30 && n <= 38) || (n >= 90 && n <= 97)) return 'fg';
  if ((n >= 40 && n <= 48) || (n >= 100 && n <= 107)) return 'bg';
  return undefined;
}

/** Columns a string takes on a terminal: escapes take none; every code point one (the report is not CJK text). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * Marks a value to be kept on one line: its spaces become a glue character that `wrapText` treats as part of a word
 * and turns back into spaces. A value too wide for a line of its own at `indent` is left to wrap normally.
 */
export function keepWhole(value: string, width: number | undefined, indent: number): string {
  if (!width || visibleWidth(value) > width - indent) return value;
  return value.replaceAll(' ', GLUE);
}

/** Keeps a short phrase on one line, e.g. a duration ("(3 ms)"): its spaces are glued. */
export function nowrap(text: string): string {
  return text.replaceAll(' ', GLUE);
}

/** Wraps every line of `text` to `width` columns; without a width (a pipe, a file) only removes the glue. */
export function wrapText(text: string, width: number | undefined): string {
  if (!width) return text.replaceAll(GLUE, ' ');
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n')
    .replaceAll(GLUE, ' ');
}

interface Token {
  text: string;
  width: number;
}

/** One line → lines of at most `width` columns (bar a narrow terminal's indent), with a hanging indent. */
export function wrapLine(line: string, width: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  const lead = /^ */.exec(line)?.[0].length ?? 0;
  // On a very narrow terminal the indents would leave no room: drop them rather than run past the edge.
  const hang = Math.min(lead + 2, Math.floor(width / 3));
  const words = line
    .slice(lead)
    .split(' ')
    .filter((w) => w !== '');
  const out: string[] = [];
  const open = new Map<string, string>();
  let current = ' '.repeat(lead);
  let used = lead;
  let fresh = true;
  const breakLine = (): void => {
    out.push(open.size > 0 ? `${current}\u001b[0m` : current);
    current = ' '.repeat(hang) + [...open.values()].join('');
    used = hang;
    fresh = true;
  };
  for (const word of words) {
    const pieces = splitLongWord(word, width - hang);
    for (const [index, token] of pieces.entries()) {
      // The pieces of a broken token each start a line: a space between them would change the value.
      if (!fresh && (index > 0 || pieces.length > 1 || used + 1 + token.width > width)) breakLine();
      current += (fresh ? '' : ' ') + token.text;
      used += (fresh ? 0 : 1) + token.width;
      fresh = false;
      trackStyles(token.text, open);
    }
  }
  out.push(current);
  return out.map((l) => l.trimEnd());
}

/** Remembers which styles are open at the end of `text`, so a break can close them and the next line reopen them. */
function trackStyles(text: string, open: Map<string, string>): void {
  for (const match of text.matchAll(ANSI)) {
    const code = match[0].slice(2, -1);
    const closes = CLOSES[code];
    if (closes === 'all' || code === '') open.clear();
    else if (closes) open.delete(closes);
    else {
      const slot = styleSlot(code);
      if (slot) open.set(slot, match[0]);
    }
  }
}

/** A word that fits stays whole; a wider one breaks after its last punctuation that fits, else at the width. */
function splitLongWord(word: string, room: number): Token[] {
  const width = visibleWidth(word);
  if (width <= room || room < 8) return [{ text: word, width }];
  const tokens: Token[] = [];
  let rest = word;
  while (visibleWidth(rest) > room) {
    const cut = cutPoint(rest, room);
    tokens.push({ text: rest.slice(0, cut), width: visibleWidth(rest.slice(0, cut)) });
    rest = rest.slice(cut);
  }
  tokens.push({ text: rest, width: visibleWidth(rest) });
  return tokens;
}

/** The index to cut `text` at so the head takes at most `room` columns, preferring just after / . : , - _ = & ?. */
function cutPoint(text: string, room: number): number {
  let columns = 0;
  let lastPunct = -1;
  let hardCut = text.length;
  for (let i = 0; i < text.length;) {
    const escape = text[i] === '\u001b' ? LEADING_ANSI.exec(text.slice(i)) : null;
    if (escape) {
      i += escape[0].length;
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(i) as number);
    if (columns + 1 > room) {
      hardCut = i;
      break;
    }
    columns += 1;
    i += char.length;
    if ('/.:,-_=&?'.includes(char) && columns >= room / 2) lastPunct = i;
  }
  return lastPunct > 0 ? lastPunct : hardCut;
}
