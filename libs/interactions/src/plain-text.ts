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

/** Tag characters after a black flag: the flags of England, Scotland and Wales (🏴 + tags + cancel tag). */
const FLAG_TAG_SEQUENCE = String.raw`\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}`;
/** A zero-width joiner between two emoji (👩‍💻, 👨‍👩‍👧): without it the emoji falls apart. */
const EMOJI_JOINER = String.raw`\u{200D}(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{FE0F}]\u{200D})(?=\p{Extended_Pictographic})`;
/**
 * A zero-width (non-)joiner after a letter of a script whose letters change shape by it (Arabic and Persian,
 * Syriac, N'Ko, Mongolian, the Indic scripts): removing it changes how the word is written.
 */
const SCRIPT_JOINER =
  String.raw`[\u{200C}\u{200D}](?<=[\p{sc=Arabic}\p{sc=Syriac}\p{sc=Nko}\p{sc=Mongolian}\p{sc=Devanagari}` +
  String.raw`\p{sc=Bengali}\p{sc=Gurmukhi}\p{sc=Gujarati}\p{sc=Oriya}\p{sc=Tamil}\p{sc=Telugu}\p{sc=Kannada}` +
  String.raw`\p{sc=Malayalam}\p{sc=Sinhala}][\u{200C}\u{200D}])(?=[\p{L}\p{M}])`;
/**
 * Format characters that are seen or needed: the Arabic-script number and end-of-verse signs, which are drawn, and
 * the left-to-right, right-to-left and Arabic letter marks, which hold no state and keep mixed-direction text in
 * its order. The embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are not kept: they carry state
 * that a cut can leave open, and can make text display reversed.
 */
const VISIBLE_FORMAT = String.raw`[\u{0600}-\u{0605}\u{061C}\u{06DD}\u{070F}\u{0890}\u{0891}\u{08E2}\u{110BD}\u{110CD}\u{200E}\u{200F}]`;

/**
 * Unicode format characters (category Cf) are invisible, yet they count toward the description's length, break
 * copy and search (HubSpot puts zero-width spaces into the "Regarding email" bodies it writes), and can hide text
 * (tag characters, "ASCII smuggling") or flip how the rest of a line displays (bidi overrides). All go but those a
 * reader would miss, which group 1 matches so that the replacement (`$1`) puts them back. Each alternative starts
 * with the character it is about, lookbehinds after it, so the engine passes over other text at once.
 */
const FORMAT_CHARACTER = new RegExp(
  `(${[FLAG_TAG_SEQUENCE, EMOJI_JOINER, SCRIPT_JOINER, VISIBLE_FORMAT].join('|')})|\\p{Cf}`,
  'gu',
);

/** Text without the invisible format characters that have no place in a preview (see FORMAT_CHARACTER). */
export function removeInvisibleCharacters(text: string): string {
  return text.replace(FORMAT_CHARACTER, '$1');
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

/**
 * One character as a reader sees it, near enough: a flag (two regional indicators), an emoji with its modifiers,
 * variation selectors, tags and zero-width-joined parts, CR LF, or any code point with the combining marks after
 * it. Intl.Segmenter knows the exact rules, but Node's costs time in proportion to the whole text for every
 * character it yields (a 60 KB note took seconds), so it only checks the one place where truncateAtWord cuts.
 */
const VISIBLE_CHARACTER =
  /\p{Regional_Indicator}\p{Regional_Indicator}|\p{Extended_Pictographic}(?:[\p{Emoji_Modifier}\p{M}\u{E0020}-\u{E007F}]|\u{200D}\p{Extended_Pictographic})*|\r\n|[\s\S]\p{M}*/gu;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * What may make a grapheme of several UTF-16 units: CR (of CR LF), combining marks, emoji and their joiners,
 * regional indicators, conjoining Hangul jamo, surrogates. Most text has none: each unit is then one character.
 */
const JOINING =
  // eslint-disable-next-line no-misleading-character-class -- joiners, marks and surrogates are listed one by one on purpose
  /[\r\p{M}\p{Extended_Pictographic}\p{Regional_Indicator}\u{200C}\u{200D}\u{1100}-\u{11FF}\u{D800}-\u{DFFF}\u{10000}-\u{10FFFF}]/u;

/** The first `count` characters of `text` as a reader sees them (VISIBLE_CHARACTER), reading no further. */
function firstVisibleCharacters(text: string, count: number): string[] {
  const window = text.slice(0, count);
  if (!JOINING.test(window)) return window.split(''); // the common case, many times cheaper than the pattern
  const characters: string[] = [];
  for (const [character] of text.matchAll(VISIBLE_CHARACTER)) {
    if (characters.push(character) >= count) break;
  }
  return characters;
}

/** The longest prefix of text[0, end) that ends between two graphemes by Unicode's rules (Intl.Segmenter). */
function atGraphemeBoundary(text: string, end: number): number {
  // Whether `end` falls inside a grapheme depends only on the text up to it and the character after, so a short
  // window is enough, and keeps the segmenter's cost small.
  const start = graphemes.segment(text.slice(0, end + 32)).containing(end)?.index;
  return start === undefined ? end : start;
}

/**
 * Cuts text to at most `maxLength` characters as a reader counts them (an emoji, a flag or an accented letter is
 * one), at a word boundary when there is one, ending with `…`. A cut never splits a surrogate pair or a grapheme.
 */
export function truncateAtWord(text: string, maxLength: number): string {
  // A string of at most maxLength UTF-16 units has at most maxLength characters: nothing to count.
  if (text.length <= maxLength) return text;
  const characters = firstVisibleCharacters(text, maxLength + 1);
  if (characters.length <= maxLength) return text;
  if (maxLength <= 1) return '…'.slice(0, maxLength);
  const room = characters.slice(0, maxLength - 1);
  // The room ends at a word boundary when the next character is a space; otherwise back up to the last space.
  const endsAtBoundary = /\s/.test(characters[maxLength - 1] ?? '');
  const lastSpace = room.lastIndexOf(' ');
  const cut = endsAtBoundary ? room : lastSpace > maxLength / 2 ? room.slice(0, lastSpace) : room;
  const kept = text.slice(0, atGraphemeBoundary(text, cut.join('').length));
  return `${kept.replace(/[\s.,;:!?-]+$/, '')}…`;
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

/**
 * A subject for a record that has none: the first line of its text (without a list item's mark), cut at a word
 * boundary, else `fallback`.
 */
export function subjectFromText(html: string | null | undefined, fallback: string): string {
  const line = html ? htmlToLines(html)[0] : undefined;
  const firstLine = line?.startsWith(LIST_ITEM_MARK) ? line.slice(LIST_ITEM_MARK.length) : line;
  return firstLine ? truncateAtWord(firstLine, SUBJECT_FROM_TEXT_MAX_LENGTH) : fallback;
}
