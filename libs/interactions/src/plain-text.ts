const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  copy: '©',
  reg: '®',
  euro: '€',
};

/** Block-level tags end a line; everything else is dropped without a trace. */
const BLOCK_TAG = /<\/?(?:p|div|br|li|ul|ol|tr|h[1-6]|blockquote|pre|table|section|article|header|footer)\b[^>]*>/gi;

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, code: string) => {
    if (code[0] === '#') {
      const point = code[1]?.toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(point) && point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : match;
    }
    return ENTITIES[code.toLowerCase()] ?? match;
  });
}

/** HTML (or plain text) to lines of text: tags, scripts and styles removed, entities decoded. */
export function htmlToLines(html: string): string[] {
  const text = decodeEntities(
    html
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(BLOCK_TAG, '\n')
      .replace(/<[^>]*>/g, ''),
  );
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0);
}

/** Cuts text to at most `maxLength` characters, at a word boundary when there is one, ending with `…`. */
export function truncateAtWord(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 1) return '…'.slice(0, maxLength);
  const room = text.slice(0, maxLength - 1);
  // The room ends at a word boundary when the next character is a space; otherwise back up to the last space.
  const endsAtBoundary = /\s/.test(text[maxLength - 1] ?? '');
  const lastSpace = room.lastIndexOf(' ');
  const cut = endsAtBoundary ? room : lastSpace > maxLength / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s.,;:!?-]+$/, '')}…`;
}

/**
 * HTML (or text) as one line of plain text, for `description`. Not cut here: the core cuts every description to
 * DESCRIPTION_MAX_LENGTH (finaliseInteraction).
 */
export function toPlainText(html: string | null | undefined): string {
  return html ? htmlToLines(html).join(' ') : '';
}

/** How long a subject taken from a record's text may be. */
export const SUBJECT_FROM_TEXT_MAX_LENGTH = 80;

/** A subject for a record that has none: the first line of its text, cut at a word boundary, else `fallback`. */
export function subjectFromText(html: string | null | undefined, fallback: string): string {
  const firstLine = html ? htmlToLines(html)[0] : undefined;
  return firstLine ? truncateAtWord(firstLine, SUBJECT_FROM_TEXT_MAX_LENGTH) : fallback;
}
