/**
 * HubSpot API answers in the shapes the API documents (trimmed to what the connector reads, plus a few fields it
 * ignores), for mapping and API tests.
 */

/** GET /account-info/v3/details */
export const accountDetails = {
  portalId: 2_451_003,
  accountType: 'STANDARD',
  timeZone: 'US/Eastern',
  companyCurrency: 'USD',
  additionalCurrencies: [],
  utcOffset: '-05:00',
  utcOffsetMilliseconds: -18_000_000,
  uiDomain: 'app.hubspot.com',
  dataHostingLocation: 'na1',
};

export const euAccountDetails = {
  ...accountDetails,
  portalId: 139_004_221,
  uiDomain: 'app-eu1.hubspot.com',
  dataHostingLocation: 'eu1',
};

/** GET /crm/v3/pipelines/tickets: the default support pipeline, and a custom one whose stages come out of order. */
export const ticketPipelines = {
  results: [
    {
      id: '0',
      label: 'Support Pipeline',
      displayOrder: 0,
      archived: false,
      createdAt: '2025-01-10T09:00:00.000Z',
      updatedAt: '2025-01-10T09:00:00.000Z',
      stages: [
        {
          id: '1',
          label: 'New',
          displayOrder: 0,
          metadata: { ticketState: 'OPEN' },
          archived: false,
          writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
        },
        { id: '2', label: 'Waiting on contact', displayOrder: 1, metadata: { ticketState: 'OPEN' }, archived: false },
        { id: '3', label: 'Waiting on us', displayOrder: 2, metadata: { ticketState: 'OPEN' }, archived: false },
        { id: '4', label: 'Closed', displayOrder: 3, metadata: { ticketState: 'CLOSED' }, archived: false },
      ],
    },
    {
      id: '81234567',
      label: 'Onboarding',
      displayOrder: 1,
      archived: false,
      stages: [
        { id: '90000003', label: 'Live', displayOrder: 2, metadata: { ticketState: 'CLOSED' }, archived: false },
        {
          id: '90000009',
          label: 'Intake (retired)',
          displayOrder: -1,
          metadata: { ticketState: 'OPEN' },
          archived: true,
        },
        { id: '90000001', label: 'Kick-off', displayOrder: 0, metadata: { ticketState: 'OPEN' }, archived: false },
        { id: '90000002', label: 'Configuring', displayOrder: 1, metadata: { ticketState: 'OPEN' }, archived: false },
      ],
    },
  ],
};

/** The same pipelines after an admin added a stage to the custom one. */
export const ticketPipelinesWithNewStage = {
  results: [
    ticketPipelines.results[0]!,
    {
      ...ticketPipelines.results[1]!,
      stages: [
        ...ticketPipelines.results[1]!.stages,
        { id: '90000004', label: 'Escalated', displayOrder: 3, metadata: { ticketState: 'OPEN' }, archived: false },
      ],
    },
  ],
};

/** GET /crm/v3/objects/contacts/{id}?properties=… */
export const janeDoe = {
  id: '51',
  properties: {
    createdate: '2025-03-02T10:11:12.000Z',
    email: 'jane.doe@example.com',
    firstname: 'Jane',
    hs_object_id: '51',
    lastmodifieddate: '2026-09-15T10:22:01.000Z',
    lastname: 'Doe',
    mobilephone: '+1 (555) 010-2000',
    phone: '(555) 010-1000',
  },
  createdAt: '2025-03-02T10:11:12.000Z',
  updatedAt: '2026-09-15T10:22:01.000Z',
  archived: false,
};

/** POST /crm/v3/objects/contacts/search */
export const contactSearch = {
  total: 2,
  results: [
    janeDoe,
    {
      id: '2901',
      properties: { email: 'JANE.DOE@example.com', firstname: 'Jane', lastname: null, phone: null, mobilephone: '' },
      createdAt: '2026-01-05T08:00:00.000Z',
      updatedAt: '2026-01-05T08:00:00.000Z',
      archived: false,
    },
  ],
};

/**
 * POST /crm/v3/objects/{type}/search: one page of records, with `paging.next.after` when more match. (The search
 * answer has no `status`, unlike a batch read.)
 */
export function searchPage(results: unknown[], after?: string, total = results.length) {
  return { total, results, ...(after ? { paging: { next: { after } } } : {}) };
}

/** POST /crm/v3/objects/tickets/search, `associations.contact` EQ Jane, `createdate` descending. */
export const ticketsSearch = {
  total: 2,
  results: [
    {
      id: '7402',
      properties: {
        content: null,
        createdate: '2026-09-18T16:45:00.000Z',
        hs_object_id: '7402',
        hs_pipeline: '81234567',
        hs_pipeline_stage: '90000001',
        hs_ticket_priority: null,
        subject: 'Onboarding: connect the warehouse',
      },
      createdAt: '2026-09-18T16:45:00.000Z',
      updatedAt: '2026-09-18T16:45:00.000Z',
      archived: false,
    },
    {
      id: '7310',
      properties: {
        content: 'Hi,\n\nThe box was crushed and the <b>lamp</b> inside is broken.\n\nThanks, Jane',
        createdate: '2026-09-14T08:03:27.512Z',
        hs_lastmodifieddate: '2026-09-15T10:22:01.000Z',
        hs_object_id: '7310',
        hs_pipeline: '0',
        hs_pipeline_stage: '3',
        hs_ticket_priority: 'HIGH',
        subject: 'Order #88213 arrived damaged',
      },
      createdAt: '2026-09-14T08:03:27.512Z',
      updatedAt: '2026-09-15T10:22:01.000Z',
      archived: false,
    },
  ],
};

/** POST /crm/v3/objects/notes/search, `associations.contact` EQ Jane, `hs_createdate` descending. */
export const notesSearch = {
  total: 1,
  results: [
    {
      id: '80411',
      properties: {
        hs_createdate: '2026-09-15T10:22:03.000Z',
        hs_note_body:
          '<div style="" dir="auto" data-top-level="true"><p style="margin:0;">Courier confirmed the damage &amp; approved a <strong>refund</strong>.</p><p style="margin:0;">Replacement ships Monday.</p></div>',
        hs_object_id: '80411',
        hs_timestamp: '2026-09-15T10:22:01.000Z',
      },
      createdAt: '2026-09-15T10:22:03.000Z',
      updatedAt: '2026-09-15T10:22:03.000Z',
      archived: false,
    },
  ],
};

/** POST /crm/v3/objects/tasks/search, `associations.contact` EQ Jane, `hs_createdate` descending. */
export const tasksSearch = {
  total: 1,
  results: [
    {
      id: '60123',
      properties: {
        hs_createdate: '2026-08-30T16:45:00.000Z',
        hs_object_id: '60123',
        hs_task_body: '<p>Promised a call before Friday.</p>',
        hs_task_priority: 'HIGH',
        hs_task_status: 'WAITING',
        hs_task_subject: 'Call Jane back about the refund',
        hs_timestamp: '2026-09-04T17:00:00.000Z',
      },
      createdAt: '2026-08-30T16:45:00.000Z',
      updatedAt: '2026-08-30T16:45:00.000Z',
      archived: false,
    },
  ],
};
