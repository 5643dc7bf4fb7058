import { decodeHTMLStrict } from 'entities';
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/**
 * The most of one CRM text field the bridge reads (UTF-16 code units); the rest is cut before any cleaning, so that
 * what one field costs is bounded whatever a CRM holds. It is the largest text field the CRMs document: HubSpot stores
 * up to 65,536 characters in a text property (note and task bodies, ticket content; "Property field types in
 * HubSpot", https://knowledge.hubspot.com/properties/property-field-types-in-hubspot), Zendesk about 65,000 in a
 * comment ("Comments size", https://support.zendesk.com/hc/en-us/community/posts/4719863289498-Commets-size), and
 * Salesforce 32,000 in a Case's or Task's Description and a Note's Body (long text areas). A smaller bound cannot be
 * had from DESCRIPTION_MAX_LENGTH: HTML may hold any amount of markup (an e-mail's style sheet) before its first
 * word, so no multiple of the description's length is sure to reach the text.
 */
export const CRM_TEXT_MAX_LENGTH = 65_536;

/** At most CRM_TEXT_MAX_LENGTH code units of text, never ending in the first half of a surrogate pair. */
export function boundedText(text: string, maxLength = CRM_TEXT_MAX_LENGTH): string {
  if (text.length <= maxLength) return text;
  const last = text.charCodeAt(maxLength - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxLength - 1 : maxLength);
}

/** Block-level elements end a line; every other tag is dropped without a trace. */
const BLOCK_ELEMENTS = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'table',
  'section',
  'article',
  'header',
  'footer',
]);

/** Elements whose content is code, never text: dropped with it, standing for a space. */
const CODE_ELEMENTS = new Set(['script', 'style']);

/** A list item starts a line of its own, marked as one, so a list does not read as one run-on sentence. */
const LIST_ITEM_MARK = '• ';

/**
 * What a tag's name looks like. HTML takes any run of characters after `<` and a letter for one; a name with others
 * (`<jane.doe@example.com>`) is kept as the text it most likely is, as is `<` before anything but a letter
 * (`a < b`, `<500>`).
 */
const TAG_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The text a reader sees in HTML, from htmlparser2's tokenizer: a state machine that reads each character once, so
 * the cost is linear in the input whatever it holds (unclosed tags, comments or scripts cost no rescans). Text is
 * gathered as source ranges and decoded once per run, so an entity is decoded only when it is whole (`&amp;`, not
 * `&am` + a tag + `p;`). Entities need their `;` (decodeHTMLStrict: `&copy2026` and `?a=1&not=2` stay as written,
 * which is what a plain-text field means by them).
 *
 * Markup that the source never closes is not markup: from its `<` on, the rest is text, as a plain-text field
 * means it (`x<y and more`, `Use </b and`, an unended comment or script). A browser would drop the rest; a
 * preview that loses a customer's words over a stray `<` is worse.
 */
class VisibleText implements TokenizerCallbacks {
  private text = '';
  /** The source range of the text not yet decoded. */
  private runStart = 0;
  private runEnd = 0;
  /** How far the source is read: text, and markup that was closed. What follows is markup not closed yet. */
  private readTo = 0;
  /** The opening tag being read: its name and where its `<` is. */
  private openTag: { name: string; start: number } | undefined;
  /** Inside a script or style element, whose content is not text. */
  private inCode = false;

  constructor(private readonly html: string) {}

  /** The text, `\n` where a line ends. */
  read(): string {
    const tokenizer = new Tokenizer({ decodeEntities: false }, this);
    tokenizer.write(this.html);
    tokenizer.end();
    if (this.readTo < this.html.length) {
      this.inCode = false;
      this.addSource(this.readTo, this.html.length);
    }
    this.flush();
    return this.text;
  }

  ontext(start: number, end: number): void {
    // The tokenizer reports a closing tag left open at the end as text from -1: readTo keeps it, read() adds it.
    if (start < 0 || this.inCode) return;
    this.addSource(start, end);
    this.readTo = end;
  }

  onopentagname(start: number, end: number): void {
    this.openTag = { name: this.html.slice(start, end).toLowerCase(), start: start - 1 };
  }

  onopentagend(end: number): void {
    const tag = this.openTag;
    this.openTag = undefined;
    if (!tag) return;
    this.readTo = end + 1;
    if (!TAG_NAME.test(tag.name)) return this.addSource(tag.start, end + 1);
    if (CODE_ELEMENTS.has(tag.name)) {
      this.inCode = true;
      this.add(' ');
    } else if (tag.name === 'li') this.add(`\n${LIST_ITEM_MARK}`);
    else if (BLOCK_ELEMENTS.has(tag.name)) this.add('\n');
  }

  onselfclosingtag(end: number): void {
    this.onopentagend(end);
  }

  onclosetag(start: number, end: number): void {
    // The tokenizer names a closing tag before it reaches its `>`, which it then skips to, as this search does.
    const close = this.html.indexOf('>', end);
    if (close < 0) return;
    this.readTo = close + 1;
    const name = this.html.slice(start, end).toLowerCase();
    if (CODE_ELEMENTS.has(name)) {
      this.inCode = false;
      this.add(' ');
    } else if (BLOCK_ELEMENTS.has(name)) this.add('\n');
  }

  /** A comment stands for a space; one left open at the end is text (see the class). */
  oncomment(_start: number, end: number): void {
    if (end >= this.html.length) return;
    this.readTo = end + 1;
    this.add(' ');
  }

  /** CDATA (foreign content) and declarations (`<!DOCTYPE html>`) show nothing. */
  oncdata(_start: number, end: number): void {
    this.readTo = end + 1;
  }

  ondeclaration(_start: number, end: number): void {
    this.readTo = end + 1;
  }

  /** Source text, joined to the run before it when it follows it directly. */
  private addSource(start: number, end: number): void {
    if (start !== this.runEnd) {
      this.flush();
      this.runStart = start;
    }
    this.runEnd = end;
  }

  /** Text of the bridge's own (a line's end, a space): the run before it is decoded first. */
  private add(text: string): void {
    this.flush();
    this.text += text;
  }

  private flush(): void {
    if (this.runEnd > this.runStart) this.text += decodeHTMLStrict(this.html.slice(this.runStart, this.runEnd));
    this.runStart = this.runEnd;
  }

  // What the text does not show: attributes; processing instructions (XML only); entities are decoded by runs.
  onattribdata(): void {}
  onattribentity(): void {}
  onattribend(): void {}
  onattribname(): void {}
  onprocessinginstruction(): void {}
  ontextentity(): void {}
  onend(): void {}
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
 * HTML (or plain text) to lines of text: tags, scripts, styles and comments removed, entities decoded, invisible
 * format characters removed, whitespace collapsed. Block elements end a line; list items start one with `• `. Reads
 * at most CRM_TEXT_MAX_LENGTH of the input, and takes time linear in what it reads.
 */
export function htmlToLines(html: string): string[] {
  const text = removeInvisibleCharacters(new VisibleText(boundedText(html)).read());
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
  return `${withoutTrailingPunctuation(kept)}…`;
}

const TRAILING_PUNCTUATION = /[\s.,;:!?-]/;

/**
 * Text without the spaces and punctuation it ends with, before an ellipsis. A loop, not `/[…]+$/`, which V8 tries
 * from every position of a run of punctuation: 20,000 dots before a letter took a second.
 */
function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING_PUNCTUATION.test(text[end - 1]!)) end--;
  return text.slice(0, end);
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
  return subjectFromLines(html ? htmlToLines(html) : [], fallback);
}

/** subjectFromText for text already made lines (htmlToLines), so that a description is cleaned once. */
export function subjectFromLines(lines: readonly string[], fallback: string): string {
  const line = lines[0];
  const firstLine = line?.startsWith(LIST_ITEM_MARK) ? line.slice(LIST_ITEM_MARK.length) : line;
  return firstLine ? truncateAtWord(firstLine, SUBJECT_FROM_TEXT_MAX_LENGTH) : fallback;
}
