import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TALKDESK_DATE_PATTERN } from './interaction.js';
import {
  boundedText,
  CRM_TEXT_MAX_LENGTH,
  htmlToLines,
  removeInvisibleCharacters,
  subjectFromText,
  toPlainText,
  truncateAtWord,
} from './plain-text.js';
import { toTalkdeskDate } from './talkdesk-date.js';

describe('toTalkdeskDate', () => {
  it('formats ISO 8601 in UTC, whatever the offset', () => {
    expect(toTalkdeskDate('2026-03-04T10:11:12Z')).toBe('2026-03-04 10:11:12 UTC');
    expect(toTalkdeskDate('2026-03-04T10:11:12.987+02:00')).toBe('2026-03-04 08:11:12 UTC');
    expect(toTalkdeskDate('2026-03-04T10:11:12.000+0000')).toBe('2026-03-04 10:11:12 UTC'); // Salesforce's spelling
    expect(toTalkdeskDate('2026-03-04T10:11:12-05')).toBe('2026-03-04 15:11:12 UTC');
  });

  it('reads epoch milliseconds as numbers or digit strings (HubSpot sends both)', () => {
    expect(toTalkdeskDate(1772619072000)).toBe('2026-03-04 10:11:12 UTC');
    expect(toTalkdeskDate('1772619072000')).toBe('2026-03-04 10:11:12 UTC');
  });

  it('reads a 10-digit epoch as seconds, not as a moment in January 1970', () => {
    expect(toTalkdeskDate(1790949900)).toBe('2026-10-02 14:05:00 UTC');
    expect(toTalkdeskDate('1790949900')).toBe('2026-10-02 14:05:00 UTC');
  });

  it('gives undefined for missing or unreadable values instead of a wrong date', () => {
    expect(toTalkdeskDate(null)).toBeUndefined();
    expect(toTalkdeskDate('')).toBeUndefined();
    expect(toTalkdeskDate('next tuesday')).toBeUndefined();
    expect(toTalkdeskDate(`2026-03-04T10:11:12.${'1'.repeat(100)}Z`)).toBeUndefined();
    expect(toTalkdeskDate('1'.repeat(100_000))).toBeUndefined();
  });

  it('gives undefined for a date that is not in the calendar rather than rolling it over', () => {
    expect(toTalkdeskDate('2026-02-30T10:00:00Z')).toBeUndefined();
    expect(toTalkdeskDate('2026-10-02T24:00:00Z')).toBeUndefined();
  });

  it('always matches the Talkdesk pattern', () => {
    expect(toTalkdeskDate(new Date(0))).toMatch(TALKDESK_DATE_PATTERN);
  });

  describe('on a server whose time zone is not UTC', () => {
    const zone = process.env.TZ;
    beforeAll(() => {
      process.env.TZ = 'Asia/Kolkata'; // UTC+05:30 all year; Node applies a TZ change at once
    });
    afterAll(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });

    it('reads a timestamp without a zone as UTC, not in the server time zone', () => {
      expect(new Date(2026, 9, 2).getTimezoneOffset()).toBe(-330); // the zone did change
      expect(toTalkdeskDate('2026-10-02 14:05:00')).toBe('2026-10-02 14:05:00 UTC');
      expect(toTalkdeskDate('2026-10-02T14:05:00')).toBe('2026-10-02 14:05:00 UTC');
      expect(toTalkdeskDate('2026-10-02T14:05')).toBe('2026-10-02 14:05:00 UTC');
      expect(toTalkdeskDate('2026-10-02')).toBe('2026-10-02 00:00:00 UTC');
    });

    it('refuses a date in another format without a zone, whose reading would depend on the server', () => {
      expect(toTalkdeskDate('Oct 2, 2026 14:05')).toBeUndefined();
      expect(toTalkdeskDate('10/02/2026 14:05:00')).toBeUndefined();
    });
  });
});

describe('plain text', () => {
  it('strips tags, scripts and comments, decodes entities and collapses whitespace', () => {
    const html =
      '<p>Hello&nbsp;<b>Jane</b> &amp; team,</p><script>alert(1)</script><!-- x --><p>two &#8212; &#x27;three&#x27;</p>';
    expect(htmlToLines(html)).toEqual(['Hello Jane & team,', "two — 'three'"]);
    expect(toPlainText(html)).toBe("Hello Jane & team, two — 'three'");
  });

  it('keeps unknown entities as they are', () => {
    expect(toPlainText('a &bogus; b')).toBe('a &bogus; b');
  });

  it('keeps text that only looks a little like a tag', () => {
    expect(toPlainText('Paid < 5 days ago, error <500>, from Jane <jane.doe@example.com>')).toBe(
      'Paid < 5 days ago, error <500>, from Jane <jane.doe@example.com>',
    );
  });

  it('keeps markup that the text never closes as text, as a plain-text field means it', () => {
    expect(toPlainText('Temperature x<y and rising')).toBe('Temperature x<y and rising');
    expect(toPlainText('Use </b and then')).toBe('Use </b and then');
    expect(toPlainText('<p>Note</p> <!-- draft')).toBe('Note <!-- draft');
    expect(toPlainText('My <style> block is ignored')).toBe('My block is ignored');
    expect(toPlainText('<li '.repeat(4))).toBe('<li <li <li <li');
  });

  it('reads tags as HTML does: quoted attributes may hold ">", a removed comment leaves a space', () => {
    expect(toPlainText('<a title="a > b" href=\'x>y\'>link</a> end')).toBe('link end');
    expect(toPlainText('one<!-- x -->two<br/>three')).toBe('one two three');
    expect(toPlainText('<!DOCTYPE html><html><head><style>p{color:red}</style></head><body>Hi</body></html>')).toBe(
      'Hi',
    );
  });

  it('decodes every HTML entity that ends with ";", and leaves text that only starts like one', () => {
    expect(toPlainText('&hearts; &Eacute;t&eacute; &#x1F600; T&amp;C')).toBe('♥ Été 😀 T&C');
    expect(toPlainText('AT&T, ?a=1&not=2, &copy2026, &am<b></b>p;')).toBe('AT&T, ?a=1&not=2, &copy2026, &amp;');
  });

  it('reads a field up to CRM_TEXT_MAX_LENGTH and no further, never splitting a surrogate pair', () => {
    const long = `${'a'.repeat(CRM_TEXT_MAX_LENGTH - 1)}😀 after the bound`;
    expect(boundedText(long)).toBe('a'.repeat(CRM_TEXT_MAX_LENGTH - 1));
    expect(toPlainText(`${'word '.repeat(CRM_TEXT_MAX_LENGTH)}`).length).toBeLessThanOrEqual(CRM_TEXT_MAX_LENGTH);
    expect(boundedText('short')).toBe('short');
  });

  it('marks each list item, so a list does not read as one run-on sentence', () => {
    // A HubSpot note body as its rich-text editor writes it.
    const body =
      '<p>Next steps agreed with Jane:</p><ul><li>Send a prepaid return label</li><li><strong>Ship</strong> the replacement lamp</li><li></li></ul><ol><li>Refund the shipping</li></ol>';
    expect(htmlToLines(body)).toEqual([
      'Next steps agreed with Jane:',
      '• Send a prepaid return label',
      '• Ship the replacement lamp',
      '• Refund the shipping',
    ]);
    expect(toPlainText(body)).toBe(
      'Next steps agreed with Jane: • Send a prepaid return label • Ship the replacement lamp • Refund the shipping',
    );
  });

  it('removes the zero-width spaces HubSpot writes into its "Regarding email" bodies, raw or as entities', () => {
    const body =
      '<div>Regarding email: <b>Re: Order #88213 arrived damaged</b></div><div>\u200B</div>' +
      '<div>Hi Jane,&#8203; thanks for the photos.\u200B We will send a replacement\u200B today.&#xFEFF;</div>';
    expect(toPlainText(body)).toBe(
      'Regarding email: Re: Order #88213 arrived damaged Hi Jane, thanks for the photos. We will send a replacement today.',
    );
  });

  it('removes invisible format characters but keeps those a reader would miss', () => {
    // Removed: word joiner, BOM, soft hyphen, an override that would reverse the rest of the line, invisible tag text.
    expect(removeInvisibleCharacters('co\u00ADoperate\u2060 \uFEFFnow \u202Eevil\u202C')).toBe('cooperate now evil');
    const smuggled = [...'ignore this'].map((c) => String.fromCodePoint(0xe0000 + c.codePointAt(0)!)).join('');
    expect(removeInvisibleCharacters(`Refund sent${smuggled}.`)).toBe('Refund sent.');
    // Kept: emoji joined by ZWJ, a flag's tag sequence, a Persian zero-width non-joiner, left-to-right marks.
    const kept = ['👩‍💻', '👨‍👩‍👧', '🏳️‍🌈', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', 'می‌خواهم', 'שלום\u200E ABC'];
    for (const text of kept) expect(removeInvisibleCharacters(text)).toBe(text);
    // A ZWJ between two Latin letters joins nothing.
    expect(removeInvisibleCharacters('Wood\u200Dwright')).toBe('Woodwright');
  });

  it('cuts at a word boundary with an ellipsis, never over the limit', () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    const cut = truncateAtWord(text, 20);
    expect(cut).toBe('The quick brown fox…');
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(truncateAtWord(text, 100)).toBe(text);
  });

  it('never cuts an emoji in half', () => {
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (let max = 2; max < 12; max++) {
      const cut = truncateAtWord('Thanks😀😀😀😀😀😀😀😀😀😀', max);
      expect(cut, `cut at ${max}`).not.toMatch(lone);
    }
    expect(truncateAtWord('👨‍👩‍👧'.repeat(5), 3)).toBe('👨‍👩‍👧👨‍👩‍👧…');
  });

  it('counts the characters a reader sees: an emoji sequence or an accented letter is one', () => {
    const family = 'Trip 👨‍👩‍👧‍👦 booked'; // 13 characters as seen, 23 UTF-16 units
    expect(truncateAtWord(family, 13)).toBe(family);
    expect(truncateAtWord('Cafe\u0301 au lait', 12)).toBe('Cafe\u0301 au lait'); // é as e + combining accent
  });

  it('takes a subject from the first line of the text, cut short, or falls back', () => {
    expect(subjectFromText('<p>Call back</p><p>about the refund</p>', 'Note')).toBe('Call back');
    const long = subjectFromText(`<p>${'word '.repeat(40)}</p>`, 'Note');
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long.endsWith('…')).toBe(true);
    expect(subjectFromText('<p> </p>', 'Note')).toBe('Note');
    expect(subjectFromText('<p>\u200B&nbsp;</p>', 'Note')).toBe('Note');
    expect(subjectFromText('<ul><li>Delivery KPIs</li><li>Escalation manager intro</li></ul>', 'Task')).toBe(
      'Delivery KPIs',
    );
    expect(subjectFromText(null, 'Ticket #1')).toBe('Ticket #1');
  });

  it('drops the punctuation before the ellipsis, however much of it there is', () => {
    expect(truncateAtWord('Wait... what?! ' + 'x'.repeat(40), 15)).toBe('Wait... what…');
    expect(truncateAtWord(`${'.'.repeat(9_998)}ab`, 10_000)).toBe(`${'.'.repeat(9_998)}ab`);
    expect(truncateAtWord(`${'.'.repeat(10_000)}abc`, 10_000)).toBe('…');
  });

  it('cuts inside a word when there is no boundary in the second half', () => {
    const cut = truncateAtWord('Supercalifragilisticexpialidocious', 10);
    expect(cut).toBe('Supercali…');
  });
});
