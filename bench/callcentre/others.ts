import { request } from 'undici';
import { populationToken } from '../../apps/crm-sandbox/src/hubspot/population.js';
import { SeededRandom } from '../../apps/crm-sandbox/src/population.js';
import { populationCredentials } from '../../apps/crm-sandbox/src/zendesk/population.js';
import type { Caller } from './ground-truth.js';
import type { Crm } from './options.js';

/**
 * The account's other integrations (a reporting sync, a marketing tool), calling the same account directly with
 * their own credentials at a steady pace that spends `share` of what the account allows:
 * - Zendesk: `share` of the account's requests a minute (its plan, counted for the whole account whoever calls),
 *   as reads of users, with the account's OAuth token;
 * - HubSpot: `share` of the account's searches a second (the search limit is per account), as ticket searches, with
 *   another private app's token; their other calls would spend that app's own 10-second budget, not the bridge's
 *   app's, so they are not simulated.
 * A refused call (429) is counted and not retried: that work of theirs is lost.
 */
export interface OthersCounts {
  /** Answered calls, refused ones included. */
  answered: number;
  refused: number;
  /** Neither answered 2xx nor 429 (an error, a timeout). */
  failed: number;
}

export interface OtherIntegrations {
  counts(): OthersCounts;
  /** Stops sending and waits for the calls in flight. */
  stop(): Promise<void>;
}

export interface OthersOptions {
  crm: Crm;
  sandboxUrl: string;
  account: string;
  share: number;
  zendeskPlan: number;
  hubspotSearchPerSecond: number;
  callers: Caller[];
  seed: number;
}

export function startOtherIntegrations(options: OthersOptions): OtherIntegrations {
  const counts: OthersCounts = { answered: 0, refused: 0, failed: 0 };
  const perSecond =
    options.crm === 'zendesk'
      ? (options.share * options.zendeskPlan) / 60
      : options.share * options.hubspotSearchPerSecond;
  if (perSecond <= 0) return { counts: () => ({ ...counts }), stop: async () => {} };
  const random = new SeededRandom(options.seed ^ 0x07e5);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const call = async (): Promise<void> => {
    const caller = random.pick(options.callers);
    try {
      const { statusCode, body } =
        options.crm === 'zendesk'
          ? await request(`${options.sandboxUrl}/zendesk/${options.account}/api/v2/users/${caller.crmId}.json`, {
              headers: { authorization: `Bearer ${populationCredentials(options.account).accessToken}` },
            })
          : await request(`${options.sandboxUrl}/hubspot/crm/v3/objects/tickets/search`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${populationToken(options.account, 1)}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify({
                filterGroups: [
                  { filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: caller.crmId }] },
                ],
                limit: 10,
              }),
            });
      await body.dump();
      counts.answered++;
      if (statusCode === 429) counts.refused++;
      else if (statusCode < 200 || statusCode >= 300) counts.failed++;
    } catch {
      counts.failed++;
    }
  };

  // Evenly spaced on the clock (not after each other), so a slow answer does not slow them down.
  const next = () => {
    if (stopped) return;
    const due = started + (sent * 1000) / perSecond;
    timer = setTimeout(
      () => {
        sent++;
        const flight = call().finally(() => inFlight.delete(flight));
        inFlight.add(flight);
        next();
      },
      Math.max(0, due - performance.now()),
    );
  };
  next();

  return {
    counts: () => ({ ...counts }),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(inFlight);
    },
  };
}
