import { describe, expect, it } from 'vitest';
import { finaliseInteraction, type MappedInteraction } from '#interactions';
import { dynamicsActivityToInteraction } from './dynamics-activity-mapping.js';
import { dynamicsAnnotationToInteraction } from './dynamics-annotation-mapping.js';
import { dynamicsIncidentToInteraction } from './dynamics-incident-mapping.js';

const url = (entity: string, id: string) =>
  `https://contoso.crm.dynamics.com/main.aspx?etn=${entity}&pagetype=entityrecord&id=%7B${id}%7D`;

/** What Talkdesk gets of a mapped row: the mappings read columns, the core finalises (plain text, fallbacks). */
const talkdesk = (item: MappedInteraction) => finaliseInteraction(item, item.type, 500)!.interaction;

/** Rows as the Web API returns them for the connector's `$select` (choices as integers, dates in UTC). */
const incident = {
  '@odata.etag': 'W/"80649578"',
  incidentid: '5a1b2c3d-0000-4000-8000-000000000001',
  title: 'Pulse speaker arrived cracked',
  description: 'The box was crushed & the speaker is cracked.\nCan you send a replacement?',
  ticketnumber: 'CAS-01001-X3T7',
  createdon: '2026-10-18T14:00:00Z',
  statecode: 0,
  statuscode: 1,
  prioritycode: 1,
};
const task = {
  '@odata.etag': 'W/"80649600"',
  activityid: '7a1b2c3d-0000-4000-8000-000000000002',
  subject: 'Send replacement speaker',
  description: null,
  scheduledend: '2026-10-22T09:00:00Z',
  createdon: '2026-10-18T15:00:00Z',
  statecode: 0,
  statuscode: 4,
  prioritycode: 2,
};
const phonecall = {
  activityid: '8a1b2c3d-0000-4000-8000-000000000003',
  subject: 'Inbound call: damaged speaker',
  description: 'Jane called about the cracked speaker.',
  actualstart: '2026-10-18T13:00:00Z',
  createdon: '2026-10-18T13:05:00Z',
  statecode: 1,
  statuscode: 4,
  prioritycode: 1,
};
const annotation = {
  annotationid: '9a1b2c3d-0000-4000-8000-000000000004',
  subject: 'Courier update',
  notetext:
    '<div><p>Spoke to the courier &mdash; the parcel is held at the depot &amp; goes out <b>tomorrow</b>.</p></div>',
  createdon: '2026-10-19T09:00:00Z',
  _objectid_value: '5a1b2c3d-0000-4000-8000-000000000001',
  objecttypecode: 'incident',
};

describe('Dynamics incident → Talkdesk case', () => {
  it('maps the columns, the record page and the UTC date', () => {
    expect(talkdesk(dynamicsIncidentToInteraction(incident, url))).toEqual({
      id: 'case:5a1b2c3d-0000-4000-8000-000000000001',
      type: 'case',
      subject: 'Pulse speaker arrived cracked',
      description: 'The box was crushed & the speaker is cracked. Can you send a replacement?',
      date: '2026-10-18 14:00:00 UTC',
      url: 'https://contoso.crm.dynamics.com/main.aspx?etn=incident&pagetype=entityrecord&id=%7B5a1b2c3d-0000-4000-8000-000000000001%7D',
      priority: 'high',
      status: 'open',
    });
  });

  it.each([
    [1, 'high'],
    [2, 'normal'],
    [3, 'low'],
    [100000000, undefined],
    [null, undefined],
  ])('prioritycode %j → %j', (prioritycode, priority) => {
    expect(dynamicsIncidentToInteraction({ ...incident, prioritycode }, url).priority).toBe(priority);
  });

  it.each([
    [0, 1, 'open'], // Active, In Progress
    [0, 2, 'pending'], // On Hold
    [0, 3, 'pending'], // Waiting for Details
    [0, 4, 'open'], // Researching
    [0, 100000001, 'open'], // an org's own active reason
    [1, 5, 'solved'], // Resolved, Problem Solved
    [1, 1000, 'solved'], // Information Provided
    [2, 6, 'closed'], // Canceled
    [2, 2000, 'closed'], // Merged
    [7, 1, undefined],
  ])('statecode %j, statuscode %j → %j', (statecode, statuscode, status) => {
    expect(dynamicsIncidentToInteraction({ ...incident, statecode, statuscode }, url).status).toBe(status);
  });

  it('a case without a title takes the description’s first line', () => {
    expect(talkdesk(dynamicsIncidentToInteraction({ ...incident, title: null }, url)).subject).toBe(
      'The box was crushed & the speaker is cracked.',
    );
  });
});

describe('Dynamics task and phone call → Talkdesk task and call', () => {
  it('a task is dated by its due date, with its priority and status', () => {
    expect(talkdesk(dynamicsActivityToInteraction(task, 'task', url))).toEqual({
      id: 'task:7a1b2c3d-0000-4000-8000-000000000002',
      type: 'task',
      subject: 'Send replacement speaker',
      date: '2026-10-22 09:00:00 UTC',
      url: 'https://contoso.crm.dynamics.com/main.aspx?etn=task&pagetype=entityrecord&id=%7B7a1b2c3d-0000-4000-8000-000000000002%7D',
      priority: 'high',
      status: 'pending',
    });
  });

  it('a task without a due date is dated by its creation', () => {
    expect(talkdesk(dynamicsActivityToInteraction({ ...task, scheduledend: null }, 'task', url)).date).toBe(
      '2026-10-18 15:00:00 UTC',
    );
  });

  it.each([
    [0, 2, 'new'], // Not Started
    [0, 3, 'open'], // In Progress
    [0, 4, 'pending'], // Waiting on someone else
    [0, 7, 'pending'], // Deferred
    [1, 5, 'solved'], // Completed
    [2, 6, 'closed'], // Canceled
    [0, 100000002, 'open'], // an org's own open reason: read by its state
    [1, 100000003, 'solved'],
  ])('task statecode %j, statuscode %j → %j', (statecode, statuscode, status) => {
    expect(dynamicsActivityToInteraction({ ...task, statecode, statuscode }, 'task', url).status).toBe(status);
  });

  it('a phone call is dated when it took place, and links to the phone call form', () => {
    expect(talkdesk(dynamicsActivityToInteraction(phonecall, 'call', url))).toEqual({
      id: 'call:8a1b2c3d-0000-4000-8000-000000000003',
      type: 'call',
      subject: 'Inbound call: damaged speaker',
      description: 'Jane called about the cracked speaker.',
      date: '2026-10-18 13:00:00 UTC',
      url: 'https://contoso.crm.dynamics.com/main.aspx?etn=phonecall&pagetype=entityrecord&id=%7B8a1b2c3d-0000-4000-8000-000000000003%7D',
      priority: 'normal',
      status: 'solved',
    });
  });

  it.each([
    [0, 1, 'open'], // Open
    [1, 2, 'solved'], // Made
    [1, 4, 'solved'], // Received
    [2, 3, 'closed'], // Canceled
  ])('phone call statecode %j, statuscode %j → %j', (statecode, statuscode, status) => {
    expect(dynamicsActivityToInteraction({ ...phonecall, statecode, statuscode }, 'call', url).status).toBe(status);
  });

  it.each([
    [0, 'low'],
    [1, 'normal'],
    [2, 'high'],
    [3, undefined],
  ])('activity prioritycode %j → %j', (prioritycode, priority) => {
    expect(dynamicsActivityToInteraction({ ...task, prioritycode }, 'task', url).priority).toBe(priority);
  });
});

describe('Dynamics note (annotation) → Talkdesk note', () => {
  it('its HTML becomes text, and its url is its parent row’s page', () => {
    expect(talkdesk(dynamicsAnnotationToInteraction(annotation, url))).toEqual({
      id: 'note:9a1b2c3d-0000-4000-8000-000000000004',
      type: 'note',
      subject: 'Courier update',
      description: 'Spoke to the courier — the parcel is held at the depot & goes out tomorrow.',
      date: '2026-10-19 09:00:00 UTC',
      url: 'https://contoso.crm.dynamics.com/main.aspx?etn=incident&pagetype=entityrecord&id=%7B5a1b2c3d-0000-4000-8000-000000000001%7D',
    });
  });

  it('a note on a table the bridge does not read has no url', () => {
    expect(dynamicsAnnotationToInteraction({ ...annotation, objecttypecode: 'account' }, url).url).toBeUndefined();
  });

  it('a note without a subject takes its text’s first line', () => {
    expect(talkdesk(dynamicsAnnotationToInteraction({ ...annotation, subject: null }, url)).subject).toBe(
      'Spoke to the courier — the parcel is held at the depot & goes out tomorrow.',
    );
  });
});
