import { describe, expect, it } from 'vitest';
import { CredentialsError, ForbiddenError } from '#interactions';
import { readZendeskRefusal } from './zendesk-api.js';

describe('readZendeskRefusal', () => {
  it('names the missing permission from a 403 only when its description is plain prose', () => {
    const prose = readZendeskRefusal(
      403,
      JSON.stringify({ error: 'Forbidden', description: 'You do not have access to this page.' }),
    );
    expect(prose).toBeInstanceOf(ForbiddenError);
    expect((prose as ForbiddenError).permission).toBe('You do not have access to this page.');

    for (const description of [
      'No access to ticket 1130',
      'Ask admin@acme.example',
      'Restricted on acme.zendesk.com',
    ]) {
      const refused = readZendeskRefusal(403, JSON.stringify({ error: 'Forbidden', description }));
      expect(refused).toBeInstanceOf(ForbiddenError);
      expect((refused as ForbiddenError).permission).toBeUndefined();
      expect(refused!.message).not.toContain(description);
    }
  });

  it('reads the 404 of a subdomain with no account as rejected credentials', () => {
    const body = JSON.stringify({
      error: {
        title: 'No help desk at acme.zendesk.com',
        message: 'There is no help desk configured at this address.',
      },
    });
    expect(readZendeskRefusal(404, body)).toBeInstanceOf(CredentialsError);
    expect(readZendeskRefusal(404, JSON.stringify({ error: 'RecordNotFound' }))).toBeUndefined();
  });
});
