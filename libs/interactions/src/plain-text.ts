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

/** A list item starts a line of its own, marked as one, so a list does not read as one run-on sentence. */
const LIST_ITEM = /<li\b[^>]*>/gi;
const LIST_ITEM_MARK = '• ';

/**
 * What a tag looks like: `<` then a tag name that ends at a space, `/` or `>`; also comments' and declarations'
 * `<!…>` and `<?…>`. Plain text that only looks a little like markup stays: `a < b`, `<500>`, `<jane@example.com>`.
 */
const TAG = /<(?:\/?[a-z][a-z0-9-]*(?:[\s/][^>]*)?|[!?][^>]*)>/gi;

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, code: string) => {
    if (code[0] === '#') {
      const point = code[1]?.toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(point) && point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : match;
    }
    return ENTITIES[code.toLowerCase()] ?? match;
  });
}

/**
 * Unicode format characters (category Cf) are invisible, yet they count toward the description's length, break
 * copy and search (HubSpot puts zero-width spaces into the "Regarding email" bodies it writes), and can smuggle
 * hidden text (tag characters) or flip how the rest of a line displays (bidi overrides). All go, except those a
 * reader would miss, which the first alternatives of this pattern match so that they are put back:
 * - `flag`: the tag characters of an emoji tag sequence (the flags of England, Scotland, Wales: 🏴 + tags + cancel).
 * - `emojiJoiner`: a zero-width joiner between two emoji (👩‍💻, 👨‍👩‍👧): without it the emoji falls apart.
 * - `scriptJoiner`: a zero-width (non-)joiner after a letter of a script whose letters change shape by it (Arabic,
 *   Persian, Syriac, N'Ko, Mongolian, the Indic scripts): removing it changes how the word is written.
 * - `visible`: the Arabic-script number and end-of-verse signs, which are drawn, and the left-to-right,
 *   right-to-left and Arabic letter marks, which are stateless and keep mixed-direction text in its order. The
 *   embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) go: they carry state that a cut can leave open.
 */
const FORMAT_CHARACTER = new RegExp(
  [
    String.raw`(?<flag>\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})`,
    String.raw`(?<emojiJoiner>(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{FE0F}])\u{200D}(?=\p{Extended_Pictographic}))`,
    String.raw`(?<scriptJoiner>(?<=[\p{sc=Arabic}\p{sc=Syriac}\p{sc=Nko}\p{sc=Mongolian}\p{sc=Devanagari}\p{sc=Bengali}` +
      String.raw`\p{sc=Gurmukhi}\p{sc=Gujarati}\p{sc=Oriya}\p{sc=Tamil}\p{sc=Telugu}\p{sc=Kannada}\p{sc=Malayalam}` +
      String.raw`\p{sc=Sinhala}])[\u{200C}\u{200D}](?=[\p{L}\p{M}]))`,
    String.raw`(?<visible>[\u{0600}-\u{0605}\u{061C}\u{06DD}\u{070F}\u{0890}\u{0891}\u{08E2}\u{110BD}\u{110CD}\u{200E}\u{200F}])`,
    String.raw`\p{Cf}`,
  ].join('|'),
  'gu',
);

/** Text without the invisible format characters that have no place in a preview (see FORMAT_CHARACTER). */
export function removeInvisibleCharacters(text: string): string {
  return text.replace(FORMAT_CHARACTER, (...match) => {
    const kept = match.at(-1) as Record<string, string | undefined>;
    return kept.flag ?? kept.emojiJoiner ?? kept.scriptJoiner ?? kept.visible ?? '';
  });
}

/**
 * HTML (or plain text) to lines of text: tags, scripts and styles removed, entities decoded, invisible format
 * characters removed, whitespace collapsed. Block elements end a line; list items start one with `• `.
 */
export function htmlToLines(html: string): string[] {
  const text = removeInvisibleCharacters(
    decodeEntities(
      html
        .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
        .replace(/<!--[\s\S]*?-->/g, ' ')
        .replace(LIST_ITEM, `\n${LIST_ITEM_MARK}`)
        .replace(BLOCK_TAG, '\n')
        .replace(TAG, ''),
    ),
  );
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0 && line !== LIST_ITEM_MARK.trim());
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The characters a reader sees (grapheme clusters): an emoji with its skin tone or a family of four is one, a
 * letter with its accent is one. A cut between two of them never splits a surrogate pair or an emoji sequence.
 */
export function visibleCharacters(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/**
 * Cuts text to at most `maxLength` characters as a reader counts them (grapheme clusters, see visibleCharacters),
 * at a word boundary when there is one, ending with `…`.
 */
export function truncateAtWord(text: string, maxLength: number): string {
  // A string of at most maxLength UTF-16 units has at most maxLength graphemes: no need to segment it.
  if (text.length <= maxLength) return text;
  const characters = visibleCharacters(text);
  if (characters.length <= maxLength) return text;
  if (maxLength <= 1) return '…'.slice(0, maxLength);
  const room = characters.slice(0, maxLength - 1);
  // The room ends at a word boundary when the next character is a space; otherwise back up to the last space.
  const endsAtBoundary = /\s/.test(characters[maxLength - 1] ?? '');
  const lastSpace = room.lastIndexOf(' ');
  const cut = endsAtBoundary ? room : lastSpace > maxLength / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.join('').replace(/[\s.,;:!?-]+$/, '')}…`;
}

/**
 * HTML (or text) as one line of plain text (htmlToLines, joined). The core applies it to every subject and
 * description (finaliseInteraction), and cuts descriptions to DESCRIPTION_MAX_LENGTH there.
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
