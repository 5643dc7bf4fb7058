import { describe, expect, it } from 'vitest';
import type { TalkdeskInteraction } from './interaction.js';
import { finaliseInteraction, mergeInteractions } from './interaction-merge.js';

const item = (over: Partial<TalkdeskInteraction>): TalkdeskInteraction => ({
  id: '1',
  subject: 'Subject',
  date: '2026-01-01 00:00:00 UTC',
  type: 'case',
  ...over,
});

describe('finaliseInteraction', () => {
  it('drops items without an id or with a date not in the Talkdesk format', () => {
    expect(finaliseInteraction(item({ id: '' }), 'case', 500)).toBeUndefined();
    expect(finaliseInteraction(item({ date: '2026-01-01T00:00:00Z' }), 'case', 500)).toBeUndefined();
  });

  it('leaves out enum values outside the Talkdesk sets, keeps the valid ones', () => {
    const out = finaliseInteraction(item({ priority: 'critical' as never, status: 'open' }), 'case', 500)!;
    expect(out.priority).toBeUndefined();
    expect(out.status).toBe('open');
  });

  it('cuts the description, collapses whitespace, and sets the asked type', () => {
    const out = finaliseInteraction(item({ description: 'word '.repeat(200), type: 'other' }), 'note', 30)!;
    expect(out.description!.length).toBeLessThanOrEqual(30);
    expect(out.description!.endsWith('…')).toBe(true);
    expect(out.type).toBe('note');
  });

  it('keeps only absolute http(s) urls', () => {
    expect(finaliseInteraction(item({ url: '/agent/tickets/1' }), 'case', 500)!.url).toBeUndefined();
    expect(finaliseInteraction(item({ url: 'https://x.zendesk.com/agent/tickets/1' }), 'case', 500)!.url).toBeDefined();
  });
});

describe('mergeInteractions', () => {
  it('sorts newest first, then by type, then by id (numerically), and removes duplicates', () => {
    const merged = mergeInteractions([
      item({ id: '10', date: '2026-01-01 00:00:00 UTC', type: 'note' }),
      item({ id: '9', date: '2026-01-01 00:00:00 UTC', type: 'note' }),
      item({ id: '3', date: '2026-01-01 00:00:00 UTC', type: 'case' }),
      item({ id: '1', date: '2026-02-01 00:00:00 UTC' }),
      item({ id: '1', date: '2026-02-01 00:00:00 UTC' }),
    ]);
    expect(merged.map((i) => `${i.type}:${i.id}`)).toEqual(['case:1', 'case:3', 'note:9', 'note:10']);
  });
});
