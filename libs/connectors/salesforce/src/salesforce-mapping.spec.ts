import { describe, expect, it } from 'vitest';
import { finaliseInteraction, type MappedInteraction } from '#interactions';
import {
  salesforceCaseToInteraction,
  salesforceClassicNoteToInteraction,
  salesforceNoteToInteraction,
  salesforceTaskToInteraction,
} from './salesforce-mapping.js';

const url = (object: string, id: string) => `https://acme.my.salesforce.com/lightning/r/${object}/${id}/view`;

/** What Talkdesk gets of a mapped record: the mappings read fields, the core finalises (plain text, fallbacks). */
const talkdesk = (item: MappedInteraction) => finaliseInteraction(item, item.type, 500)!.interaction;

/** Records as Salesforce's query resource returns them. */
const caseRecord = {
  attributes: { type: 'Case', url: '/services/data/v62.0/sobjects/Case/500Ac0000000004AAA' },
  Id: '500Ac0000000004AAA',
  ContactId: '003Ac0000000001AAA',
  Subject: 'Pulse speaker arrived cracked',
  Description: 'The box was crushed &amp; the speaker is cracked.\nCan you send a replacement?',
  CreatedDate: '2026-10-18T14:00:00.000+0000',
  Priority: 'High',
  Status: 'New',
  IsClosed: false,
};
const taskRecord = {
  attributes: { type: 'Task', url: '/services/data/v62.0/sobjects/Task/00TAc0000000008AAA' },
  Id: '00TAc0000000008AAA',
  WhoId: '003Ac0000000001AAA',
  Subject: 'Send replacement speaker',
  Description: null,
  ActivityDate: '2026-10-22',
  CreatedDate: '2026-10-18T15:00:00.000+0000',
  Priority: 'Normal',
  Status: 'Waiting on someone else',
  IsClosed: false,
  TaskSubtype: 'Task',
};

describe('Salesforce Case → Talkdesk case', () => {
  it('maps the fields, the Lightning page and the offset date', () => {
    expect(talkdesk(salesforceCaseToInteraction(caseRecord, url))).toEqual({
      id: 'case:500Ac0000000004AAA',
      type: 'case',
      subject: 'Pulse speaker arrived cracked',
      description: 'The box was crushed & the speaker is cracked. Can you send a replacement?',
      date: '2026-10-18 14:00:00 UTC',
      url: 'https://acme.my.salesforce.com/lightning/r/Case/500Ac0000000004AAA/view',
      priority: 'high',
      status: 'new',
    });
  });

  it.each([
    ['High', 'high'],
    ['Medium', 'normal'],
    ['Low', 'low'],
    ['Critical', undefined],
    ['constructor', undefined],
  ])('priority %s → %s', (Priority, expected) => {
    expect(salesforceCaseToInteraction({ ...caseRecord, Priority }, url).priority).toBe(expected);
  });

  it.each([
    ['New', false, 'new'],
    ['Working', false, 'open'],
    ['Escalated', false, 'open'],
    ['On Hold', false, 'pending'],
    ['Waiting on Customer', false, 'pending'],
    ['Closed', true, 'closed'],
    ['Resolved by phone', true, 'closed'], // IsClosed decides, whatever the org called the status
  ])('status %s (IsClosed %s) → %s', (Status, IsClosed, expected) => {
    expect(salesforceCaseToInteraction({ ...caseRecord, Status, IsClosed }, url).status).toBe(expected);
  });

  it('takes the subject from the description when the case has none', () => {
    expect(talkdesk(salesforceCaseToInteraction({ ...caseRecord, Subject: '' }, url)).subject).toBe(
      'The box was crushed & the speaker is cracked.',
    );
  });
});

describe('Salesforce Task → Talkdesk task or call', () => {
  it('dates a task by its due date (ActivityDate), else when it was created', () => {
    expect(talkdesk(salesforceTaskToInteraction(taskRecord, 'task', url))).toEqual({
      id: 'task:00TAc0000000008AAA',
      type: 'task',
      subject: 'Send replacement speaker',
      date: '2026-10-22 00:00:00 UTC',
      url: 'https://acme.my.salesforce.com/lightning/r/Task/00TAc0000000008AAA/view',
      priority: 'normal',
      status: 'pending',
    });
    expect(talkdesk(salesforceTaskToInteraction({ ...taskRecord, ActivityDate: null }, 'task', url)).date).toBe(
      '2026-10-18 15:00:00 UTC',
    );
  });

  it('dates a call when it was logged', () => {
    const call = talkdesk(
      salesforceTaskToInteraction({ ...taskRecord, TaskSubtype: 'Call', Subject: null }, 'call', url),
    );
    expect(call).toMatchObject({ type: 'call', date: '2026-10-18 15:00:00 UTC', subject: 'Call' });
  });

  it.each([
    ['Not Started', 'new'],
    ['In Progress', 'open'],
    ['Waiting on someone else', 'pending'],
    ['Deferred', 'pending'],
    ['Completed', 'solved'],
  ])('status %s → %s', (Status, expected) => {
    expect(salesforceTaskToInteraction({ ...taskRecord, Status }, 'task', url).status).toBe(expected);
  });

  it('leaves out a status the org added, unless the task is closed', () => {
    expect(salesforceTaskToInteraction({ ...taskRecord, Status: 'Blocked' }, 'task', url).status).toBeUndefined();
    expect(salesforceTaskToInteraction({ ...taskRecord, Status: 'Done-ish', IsClosed: true }, 'task', url).status).toBe(
      'solved',
    );
  });
});

describe('Salesforce ContentNote and Note → Talkdesk note', () => {
  it('uses the title and the text preview, stripped to plain text', () => {
    const note = {
      attributes: { type: 'ContentNote' },
      Id: '069Ac0000000013AAA',
      Title: 'Courier update',
      TextPreview: 'Spoke to the courier &mdash; the parcel is held <b>at the depot</b>.',
      CreatedDate: '2026-10-19T09:00:00.000+0000',
    };
    expect(talkdesk(salesforceNoteToInteraction(note, url))).toEqual({
      id: 'note:069Ac0000000013AAA',
      type: 'note',
      subject: 'Courier update',
      description: 'Spoke to the courier — the parcel is held at the depot.',
      date: '2026-10-19 09:00:00 UTC',
      url: 'https://acme.my.salesforce.com/lightning/r/ContentDocument/069Ac0000000013AAA/view',
    });
    expect(talkdesk(salesforceNoteToInteraction({ ...note, Title: ' ' }, url)).subject).toBe(
      'Spoke to the courier — the parcel is held at the depot.',
    );
  });

  it('maps a classic Note: title, HTML-ish body as plain text, its own record page', () => {
    const note = {
      attributes: { type: 'Note' },
      Id: '002Ac0000000015AAA',
      ParentId: '003Ac0000000001AAA',
      Title: 'Warehouse call',
      Body: '<p>Atlanta warehouse confirmed stock &amp; will ship <b>Monday</b>.</p>',
      CreatedDate: '2026-10-10T09:00:00.000+0000',
      IsPrivate: false,
    };
    expect(talkdesk(salesforceClassicNoteToInteraction(note, url))).toEqual({
      id: 'note:002Ac0000000015AAA',
      type: 'note',
      subject: 'Warehouse call',
      description: 'Atlanta warehouse confirmed stock & will ship Monday.',
      date: '2026-10-10 09:00:00 UTC',
      url: 'https://acme.my.salesforce.com/lightning/r/Note/002Ac0000000015AAA/view',
    });
    expect(talkdesk(salesforceClassicNoteToInteraction({ ...note, Title: '' }, url)).subject).toBe(
      'Atlanta warehouse confirmed stock & will ship Monday.',
    );
  });

  it('produces an item the core drops when a record has no id or date', () => {
    expect(finaliseInteraction(salesforceNoteToInteraction({ Title: 'x' }, url), 'note', 500)).toBeUndefined();
    expect(
      finaliseInteraction(salesforceCaseToInteraction({ Id: '500x', CreatedDate: 'soon' }, url), 'case', 500),
    ).toBeUndefined();
  });
});
