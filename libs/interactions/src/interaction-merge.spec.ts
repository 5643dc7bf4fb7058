import { describe, expect, it } from 'vitest';
import type { MappedInteraction, TalkdeskInteraction } from './interaction.js';
import { finaliseInteraction, mergeInteractions } from './interaction-merge.js';

const item = (over: Partial<MappedInteraction>): MappedInteraction => ({
  id: '1',
  subject: 'Subject',
  date: '2026-01-01 00:00:00 UTC',
  type: 'case',
  ...over,
});

/** The item Talkdesk gets, or undefined when the core drops it. */
const finalised = (over: Partial<MappedInteraction>, type = 'case', maxLength = 500) =>
  finaliseInteraction(item(over), type, maxLength)?.interaction;

describe('finaliseInteraction', () => {
  it('drops items without an id or with a date not in the Talkdesk format', () => {
    expect(finalised({ id: '' })).toBeUndefined();
    expect(finalised({ id: '  ' })).toBeUndefined();
    expect(finalised({ date: '2026-01-01T00:00:00Z' })).toBeUndefined();
  });

  it('qualifies the id with the type, so a ticket and a comment with the same number stay apart', () => {
    expect(finalised({ id: '1130' }, 'case')!.id).toBe('case:1130');
    expect(finalised({ id: '1130' }, 'note')!.id).toBe('note:1130');
  });

  it('leaves out enum values outside the Talkdesk sets, keeps the valid ones', () => {
    const out = finalised({ priority: 'critical' as never, status: 'open' })!;
    expect(out.priority).toBeUndefined();
    expect(out.status).toBe('open');
  });

  it('cuts the description, collapses whitespace, and sets the asked type', () => {
    const out = finalised({ description: 'word '.repeat(200), type: 'other' }, 'note', 30)!;
    expect(out.description!.length).toBeLessThanOrEqual(30);
    expect(out.description!.endsWith('…')).toBe(true);
    expect(out.type).toBe('note');
  });

  it('makes the subject plain text, as the description: entities decoded, tags dropped, whitespace collapsed', () => {
    // A real HubSpot task subject, as the API returns it.
    expect(finalised({ subject: 'Follow up with Woodwright&#x27;s Custom Woodwork' }, 'task')!.subject).toBe(
      "Follow up with Woodwright's Custom Woodwork",
    );
    expect(finalised({ subject: '<b>Renewal</b>\n  call &amp; quote\u200B' }, 'call')!.subject).toBe(
      'Renewal call & quote',
    );
  });

  it('removes invisible characters before the cut, so they take no room', () => {
    // Every word is followed by a zero-width space, as in HubSpot's "Regarding email" bodies: 26 visible characters.
    const out = finalised({ description: 'Call\u200B back\u200B about\u200B the\u200B refund\u200B' }, 'task', 26)!;
    expect(out.description).toBe('Call back about the refund');
  });

  it('never emits a blank subject: the first line of the description, cut short, else the type', () => {
    const description =
      '<p>Customer called about the refund for order #88213 and asked for the label to be sent again today</p><p>Second</p>';
    for (const subject of ['', '   ', '&nbsp;', '<br>', '\u200B']) {
      expect(finalised({ subject, description }, 'note')!.subject).toBe(
        'Customer called about the refund for order #88213 and asked for the label to be…',
      );
      expect(finalised({ subject, description: ' ' }, 'note')!.subject).toBe('Note');
      expect(finalised({ subject }, 'case')!.subject).toBe('Case');
    }
  });

  it('dates an item without its usual date by its creation time, and says so', () => {
    const created = '2025-12-30 08:00:00 UTC';
    expect(finaliseInteraction(item({ createdDate: created }), 'task', 500)).toMatchObject({
      interaction: { date: '2026-01-01 00:00:00 UTC' },
      datedByCreation: false,
    });
    expect(finaliseInteraction(item({ date: '', createdDate: created }), 'task', 500)).toMatchObject({
      interaction: { date: created },
      datedByCreation: true,
    });
    expect(finaliseInteraction(item({ date: '' }), 'task', 500)).toBeUndefined();
    expect(finaliseInteraction(item({ date: '', createdDate: 'yesterday' }), 'task', 500)).toBeUndefined();
  });

  it('keeps only absolute http(s) urls', () => {
    expect(finalised({ url: '/agent/tickets/1' })!.url).toBeUndefined();
    expect(finalised({ url: 'https://x.zendesk.com/agent/tickets/1' })!.url).toBeDefined();
  });

  it('sends only the Talkdesk fields', () => {
    const out = finalised({ createdDate: '2025-12-30 08:00:00 UTC', description: 'Text', url: 'https://x.example/1' })!;
    expect(Object.keys(out).sort()).toEqual(['date', 'description', 'id', 'subject', 'type', 'url']);
  });
});

describe('mergeInteractions', () => {
  const talkdesk = (over: Partial<TalkdeskInteraction>): TalkdeskInteraction => ({ ...item({}), ...over });

  it('sorts newest first, then by type, then by id (numerically), and removes duplicates', () => {
    const merged = mergeInteractions([
      talkdesk({ id: 'note:10', date: '2026-01-01 00:00:00 UTC', type: 'note' }),
      talkdesk({ id: 'note:9', date: '2026-01-01 00:00:00 UTC', type: 'note' }),
      talkdesk({ id: 'case:3', date: '2026-01-01 00:00:00 UTC', type: 'case' }),
      talkdesk({ id: 'case:1', date: '2026-02-01 00:00:00 UTC' }),
      talkdesk({ id: 'case:1', date: '2026-02-01 00:00:00 UTC' }),
    ]);
    expect(merged.map((i) => i.id)).toEqual(['case:1', 'case:3', 'note:9', 'note:10']);
  });
});
