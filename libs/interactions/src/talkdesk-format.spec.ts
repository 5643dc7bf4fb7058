import { describe, expect, it } from 'vitest';
import { TALKDESK_DATE_PATTERN } from './interaction.js';
import { htmlToLines, subjectFromText, toPlainText, truncateAtWord } from './plain-text.js';
import { toTalkdeskDate } from './talkdesk-date.js';

describe('toTalkdeskDate', () => {
  it('formats ISO 8601 in UTC, whatever the offset', () => {
    expect(toTalkdeskDate('2026-03-04T10:11:12Z')).toBe('2026-03-04 10:11:12 UTC');
    expect(toTalkdeskDate('2026-03-04T10:11:12.987+02:00')).toBe('2026-03-04 08:11:12 UTC');
  });

  it('reads epoch milliseconds as numbers or digit strings (HubSpot sends both)', () => {
    expect(toTalkdeskDate(1772619072000)).toBe('2026-03-04 10:11:12 UTC');
    expect(toTalkdeskDate('1772619072000')).toBe('2026-03-04 10:11:12 UTC');
  });

  it('gives undefined for missing or unreadable values instead of a wrong date', () => {
    expect(toTalkdeskDate(null)).toBeUndefined();
    expect(toTalkdeskDate('')).toBeUndefined();
    expect(toTalkdeskDate('next tuesday')).toBeUndefined();
  });

  it('always matches the Talkdesk pattern', () => {
    expect(toTalkdeskDate(new Date(0))).toMatch(TALKDESK_DATE_PATTERN);
  });
});

describe('plain text', () => {
  it('strips tags, scripts and comments, decodes entities and collapses whitespace', () => {
    const html = '<p>Hello&nbsp;<b>Jane</b> &amp; team,</p><script>alert(1)</script><!-- x --><ul><li>one</li><li>two &#8212; &#x27;three&#x27;</li></ul>';
    expect(htmlToLines(html)).toEqual(['Hello Jane & team,', 'one', "two — 'three'"]);
    expect(toPlainText(html)).toBe("Hello Jane & team, one two — 'three'");
  });

  it('keeps unknown entities as they are', () => {
    expect(toPlainText('a &bogus; b')).toBe('a &bogus; b');
  });

  it('cuts at a word boundary with an ellipsis, never over the limit', () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    const cut = truncateAtWord(text, 20);
    expect(cut).toBe('The quick brown fox…');
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(truncateAtWord(text, 100)).toBe(text);
  });

  it('takes a subject from the first line of the text, cut short, or falls back', () => {
    expect(subjectFromText('<p>Call back</p><p>about the refund</p>', 'Note')).toBe('Call back');
    const long = subjectFromText(`<p>${'word '.repeat(40)}</p>`, 'Note');
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('…')).toBe(true);
    expect(subjectFromText('<p> </p>', 'Note')).toBe('Note');
    expect(subjectFromText(null, 'Ticket #1')).toBe('Ticket #1');
  });

  it('cuts inside a word when there is no boundary in the second half', () => {
    const cut = truncateAtWord('Supercalifragilisticexpialidocious', 10);
    expect(cut).toBe('Supercali…');
  });
});
