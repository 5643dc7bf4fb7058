import { describe, expect, it } from 'vitest';
import { boundedRetryAfter } from './bridge-exception.filter.js';

describe('the Retry-After Talkdesk is given', () => {
  it("is whole seconds, at least 1, at most the CRM's documented window (a minute when it declares none)", () => {
    expect(boundedRetryAfter(0.2, 60)).toBe(1);
    expect(boundedRetryAfter(20.1, 60)).toBe(21);
    expect(boundedRetryAfter(999_999, 60)).toBe(60); // Zendesk: a minute
    expect(boundedRetryAfter(999_999, 10)).toBe(10); // HubSpot: ten seconds
    expect(boundedRetryAfter(999_999, 86_400)).toBe(86_400); // Salesforce: a rolling day
    expect(boundedRetryAfter(999_999, undefined)).toBe(60);
    expect(boundedRetryAfter(Number.POSITIVE_INFINITY, 10)).toBe(10);
  });
});
