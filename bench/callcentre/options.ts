import { parseArgs } from 'node:util';
import { SHARING_OFF } from '../../apps/bridge/src/bridge-config.js';
import type { TruthRules } from './ground-truth.js';

export type Crm = 'zendesk' | 'hubspot';

/** What the bench's sandbox process (sandbox-process.ts) serves, and where it writes the callers' ground truth. */
export interface SandboxProcessConfig {
  crm: Crm;
  seed: number;
  population: number;
  maxTickets: number;
  latencyMs: number;
  zendeskPlan: number;
  hubspotBurst: number;
  hubspotSearchPerSecond: number;
  rules: TruthRules;
  callersFile: string;
}

/** The generated account's name at either CRM. */
export const PEAK = 'peak';

/** One bridge configuration to measure: a label for the table and the environment it adds to the defaults. */
export interface BridgeConfiguration {
  label: string;
  env: Record<string, string>;
}

export interface CallCentreOptions {
  crms: Crm[];
  agents: number;
  callsPerAgentHour: number;
  repeatShare: number;
  byIdShare: number;
  population: number;
  maxTickets: number;
  seed: number;
  /** Added to every CRM call by the sandbox. */
  latencyMs: number;
  /** The Zendesk account's plan, requests a minute (Enterprise: 700). */
  zendeskPlan: number;
  /** The HubSpot app's requests per 10 seconds (Professional and Enterprise private apps: 190). */
  hubspotBurst: number;
  /** HubSpot's search limit, requests a second per account (5). */
  hubspotSearchPerSecond: number;
  /** The share of the account's allowance its other integrations spend meanwhile (0 … 1). */
  others: number;
  /** The measured slice starts this many minutes into the peak hour. */
  atMinute: number;
  warmupSeconds: number;
  measureSeconds: number;
  answerDelaySeconds: number;
  configurations: BridgeConfiguration[];
}

export const USAGE = `npm run bench:callcentre -- [options]

  --crm zendesk,hubspot       the CRMs to measure (default: both)
  --agents 500                agents taking calls
  --calls-per-agent-hour 8.5  calls each agent takes an hour
  --repeat 0.2                share of calls that are a caller calling back within the hour
  --by-id 0.85                share of pops carrying the caller's CRM id (the rest: the phone number only)
  --population 20000          customers in the generated CRM account
  --max-tickets 12            each customer has 0 to this many tickets
  --seed 1                    the population's and the calls' seed
  --latency-ms 80             added to every CRM call
  --zendesk-plan 700          the Zendesk account's requests a minute
  --hubspot-burst 190         the HubSpot app's requests per 10 seconds
  --hubspot-search 5          HubSpot's searches a second per account
  --others 0                  share of the account's allowance its other integrations spend meanwhile
  --at-minute 30              where in the peak hour the measured slice starts
  --warmup 60                 seconds played before the slice, not counted
  --measure 300               seconds measured
  --config VAR=value,...      a bridge configuration to measure (repeatable, one table row each), over the
                              project's defaults: e.g. CRM_BUDGET_SHARE=1; \`defaults\`; \`off\` (no cache, no
                              coalescing, no budget). Default: \`defaults\`. Each adds the account's plan as
                              CRM_PLAN_LIMITS unless it sets that itself.`;

/** Parses the command line; throws with a clear message on a bad value. */
export function parseCallCentreArgs(argv: string[]): CallCentreOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      crm: { type: 'string', default: 'zendesk,hubspot' },
      agents: { type: 'string', default: '500' },
      'calls-per-agent-hour': { type: 'string', default: '8.5' },
      repeat: { type: 'string', default: '0.2' },
      'by-id': { type: 'string', default: '0.85' },
      population: { type: 'string', default: '20000' },
      'max-tickets': { type: 'string', default: '12' },
      seed: { type: 'string', default: '1' },
      'latency-ms': { type: 'string', default: '80' },
      'zendesk-plan': { type: 'string', default: '700' },
      'hubspot-burst': { type: 'string', default: '190' },
      'hubspot-search': { type: 'string', default: '5' },
      others: { type: 'string', default: '0' },
      'at-minute': { type: 'string', default: '30' },
      warmup: { type: 'string', default: '60' },
      measure: { type: 'string', default: '300' },
      config: { type: 'string', multiple: true, default: ['defaults'] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new UsageError(USAGE); // run.ts prints it first; here for other callers
  const number = (name: keyof typeof values, min: number, max: number, integer = false): number => {
    const raw = values[name] as string;
    const value = Number(raw);
    if (
      raw.trim() === '' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (integer && !Number.isInteger(value))
    )
      throw new UsageError(
        `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}; got ${raw}`,
      );
    return value;
  };
  const crms = values.crm.split(',').map((crm) => crm.trim());
  for (const crm of crms)
    if (crm !== 'zendesk' && crm !== 'hubspot') throw new UsageError(`--crm takes zendesk and/or hubspot; got ${crm}`);
  const options: CallCentreOptions = {
    crms: crms as Crm[],
    agents: number('agents', 1, 100_000, true),
    callsPerAgentHour: number('calls-per-agent-hour', 0.1, 100),
    repeatShare: number('repeat', 0, 1),
    byIdShare: number('by-id', 0, 1),
    population: number('population', 1, 180_000, true),
    maxTickets: number('max-tickets', 0, 500, true),
    seed: number('seed', 0, 2 ** 31, true),
    latencyMs: number('latency-ms', 0, 5_000, true),
    zendeskPlan: number('zendesk-plan', 1, 1_000_000, true),
    hubspotBurst: number('hubspot-burst', 1, 1_000_000, true),
    hubspotSearchPerSecond: number('hubspot-search', 1, 1_000, true),
    others: number('others', 0, 1),
    atMinute: number('at-minute', 0, 59),
    warmupSeconds: number('warmup', 0, 1_800, true),
    measureSeconds: number('measure', 10, 3_600, true),
    answerDelaySeconds: 3,
    configurations: values.config.map(configuration),
  };
  if (options.atMinute * 60 < options.warmupSeconds)
    throw new UsageError('--warmup must fit in the hour before --at-minute');
  if (options.atMinute * 60 + options.measureSeconds > 3_600)
    throw new UsageError('--at-minute and --measure must end within the hour');
  return options;
}

/** `defaults`, `off`, or `VAR=value,VAR=value`. */
function configuration(raw: string): BridgeConfiguration {
  const text = raw.trim();
  if (text === 'defaults') return { label: 'defaults', env: {} };
  if (text === 'off')
    return { label: 'off (no cache, no coalescing, no budget)', env: { ...SHARING_OFF } as Record<string, string> };
  const env: Record<string, string> = {};
  for (const part of text.split(/,(?=[A-Z][A-Z0-9_]*=)/)) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(part.trim());
    if (!match) throw new UsageError(`--config takes defaults, off, or VAR=value,…; got ${raw}`);
    env[match[1]!] = match[2]!;
  }
  return { label: text, env };
}

export class UsageError extends Error {}
