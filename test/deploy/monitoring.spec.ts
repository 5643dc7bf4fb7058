import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import * as interactions from '#interactions';
import { BridgeMetrics } from '#interactions';
import { ACME_AUTH, ACME_WRONG, janeRequest } from '../abuse/support.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';
import { parsePromQl, type ParsedPromQl } from './promql.js';

/**
 * What deploy/ ships for monitoring, checked against the bridge itself: the alert rules (the prometheus-operator
 * component's PrometheusRule) and the Grafana dashboard's queries parse as PromQL, use only metrics a running bridge
 * registers, with labels those metrics have and label values the bridge emits; every alert has a severity, a summary
 * and a runbook whose heading exists in docs/monitoring.md.
 */
const ROOT = join(import.meta.dirname, '../..');
const DEPLOY = join(ROOT, 'deploy');
const RULE_FILE = join(DEPLOY, 'components/prometheus-operator/prometheusrule.yaml');
const DASHBOARD_FILE = join(DEPLOY, 'components/grafana-dashboard/interaction-bridge.json');
const RUNBOOKS = join(ROOT, 'docs/monitoring.md');

/** Labels Prometheus adds to every series it scrapes (target labels: the ServiceMonitor's, the pod annotations'). */
const TARGET_LABELS = new Set(['namespace', 'pod', 'service', 'endpoint', 'container', 'job', 'instance']);

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const ruleDocument = parseYaml(readFileSync(RULE_FILE, 'utf8')) as {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { groups: { name: string; rules: Rule[] }[] };
};
const rules = ruleDocument.spec.groups.flatMap((group) => group.rules);
const alerts = rules.filter((rule) => rule.alert !== undefined);

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string; refId: string }[];
  panels?: Panel[];
  fieldConfig?: { defaults?: { unit?: string; thresholds?: { steps: { value: number | null }[] } } };
}
const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
};
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const variables = dashboard.templating.list;

/**
 * A dashboard query as Prometheus receives it: Grafana replaces its variables first. `$__rate_interval` is a window;
 * the dashboard's own variables are label values.
 */
function asPrometheusSees(expr: string): string {
  return expr
    .replaceAll(/\$__rate_interval|\$\{__rate_interval\}/g, '5m')
    .replaceAll(/\$\{?(\w+)\}?/g, (whole, name: string) =>
      variables.some((variable) => variable.name === name) ? 'value' : whole,
    );
}

/** Every PromQL expression deploy/ ships, named for the test's titles. */
const expressions: { source: string; expr: string }[] = [
  ...rules.map((rule) => ({ source: `rule ${rule.alert ?? rule.record}`, expr: rule.expr })),
  ...panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      source: `panel "${panel.title}" ${target.refId}`,
      expr: asPrometheusSees(target.expr),
    })),
  ),
  // label_values(<selector>, <label>): Grafana asks Prometheus for the selector's series.
  ...variables.flatMap((variable) => {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    const selector = query && /^label_values\((.+),\s*(\w+)\)$/.exec(query);
    if (variable.type !== 'query') return [];
    if (!selector) throw new Error(`variable ${variable.name}: not label_values(selector, label): ${query}`);
    return [
      { source: `variable ${variable.name}`, expr: `count by (${selector[2]}) (${asPrometheusSees(selector[1]!)})` },
    ];
  }),
];

/** What the bridge registers: each series name Prometheus sees, the labels it carries, and the values seen. */
interface Series {
  labels: Set<string>;
  values: Map<string, Set<string>>;
}
let registered: Map<string, Series>;
let bridge: BridgeHarness | undefined;

beforeAll(async () => {
  // A bridge with its cache on and a lockout after one rejected credential, given the traffic that makes the label
  // values the dashboard and rules select on (a cache hit, a lockout); the failure kinds are the error classes'.
  bridge = await startBridge({
    env: { CACHE_CONTACT_TTL_SECONDS: '600', CACHE_INTERACTIONS_TTL_SECONDS: '30', LOCKOUT_MAX_FAILURES: '1' },
  });
  expect((await bridge.post('/zendesk/interactions', janeRequest())).status).toBe(200);
  expect((await bridge.post('/zendesk/interactions', janeRequest())).status).toBe(200);
  expect((await bridge.post('/zendesk/auth/validate', { auth: ACME_AUTH })).status).toBe(200);
  expect((await bridge.post('/zendesk/interactions', janeRequest(ACME_WRONG))).status).toBe(401);
  expect((await bridge.post('/zendesk/interactions', janeRequest(ACME_WRONG))).body.message).toMatch(/too often/);

  const registry = bridge.app.get(BridgeMetrics).registry;
  const labelsOf = new Map(
    registry
      .getMetricsAsArray()
      .map((metric) => [metric.name, (metric as unknown as { labelNames: string[] }).labelNames]),
  );
  registered = new Map();
  for (const metric of await registry.getMetricsAsJSON()) {
    const labels = labelsOf.get(metric.name) ?? [];
    const type = String(metric.type);
    const names =
      type === 'histogram'
        ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`]
        : type === 'summary'
          ? [metric.name, `${metric.name}_sum`, `${metric.name}_count`]
          : [metric.name];
    for (const name of names) {
      const series: Series = {
        labels: new Set([...labels, ...(name.endsWith('_bucket') ? ['le'] : [])]),
        values: new Map(),
      };
      for (const sample of metric.values) {
        for (const [label, value] of Object.entries(sample.labels)) {
          if (!series.values.has(label)) series.values.set(label, new Set());
          series.values.get(label)!.add(String(value));
        }
      }
      registered.set(name, series);
    }
  }
}, 60_000);

afterAll(async () => {
  await bridge?.close();
});

/** The values a label of the bridge's can take: those seen, and for CRM call outcomes every failure kind. */
function knownValues(series: Series, label: string): Set<string> {
  const seen = new Set(series.values.get(label) ?? []);
  if (label === 'outcome') {
    seen.add('ok');
    for (const exported of Object.values(interactions)) {
      if (typeof exported === 'function' && exported.prototype instanceof interactions.BridgeError) {
        seen.add(new (exported as new (message: string) => interactions.BridgeError)('probe').kind);
      }
    }
  }
  return seen;
}

function checkAgainstBridge(parsed: ParsedPromQl): string[] {
  const problems: string[] = [];
  const used = parsed.selectors.flatMap((selector) => (selector.metric ? [selector.metric] : []));
  if (used.length === 0) problems.push('selects no metric');
  for (const selector of parsed.selectors) {
    const series = selector.metric ? registered.get(selector.metric) : undefined;
    if (!series) {
      problems.push(`${selector.metric ?? 'a selector without a name'} is not a metric the bridge registers`);
      continue;
    }
    for (const matcher of selector.matchers) {
      if (TARGET_LABELS.has(matcher.label)) continue;
      if (!series.labels.has(matcher.label)) {
        problems.push(`${selector.metric} has no label ${matcher.label}`);
      } else if (matcher.op === '=' || matcher.op === '!=') {
        const values = knownValues(series, matcher.label);
        if (!values.has(matcher.value)) {
          problems.push(
            `${selector.metric}{${matcher.label}} never takes "${matcher.value}" (${[...values].join(', ')})`,
          );
        }
      }
    }
  }
  const labelsInScope = new Set([
    ...TARGET_LABELS,
    ...used.flatMap((name) => [...(registered.get(name)?.labels ?? [])]),
  ]);
  for (const label of parsed.groupingLabels) {
    if (!labelsInScope.has(label)) problems.push(`groups by ${label}, which none of ${used.join(', ')} has`);
  }
  return problems;
}

describe('PromQL in deploy/ (alert rules, dashboard queries and variables)', () => {
  it('finds the rules, panels and variables it checks', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(7);
    expect(panels.filter((panel) => panel.targets?.length).length).toBeGreaterThanOrEqual(12);
    expect(expressions.length).toBeGreaterThan(alerts.length + 12);
  });

  it('catches what it is meant to catch', () => {
    expect(parsePromQl('sum(rate(bridge_requests_total[5m])').errors).not.toEqual([]);
    expect(parsePromQl('sum(rate(bridge_requests_total))').errors).not.toEqual([]);
    expect(checkAgainstBridge(parsePromQl('rate(bridge_request_total[5m])'))).toEqual([
      'bridge_request_total is not a metric the bridge registers',
    ]);
    expect(checkAgainstBridge(parsePromQl('rate(bridge_crm_calls_total{outcome="429"}[5m])'))[0]).toMatch(
      /never takes "429"/,
    );
    expect(checkAgainstBridge(parsePromQl('sum by (tenant) (rate(bridge_crm_calls_total{status="x"}[5m]))'))).toEqual([
      'bridge_crm_calls_total has no label status',
      'groups by tenant, which none of bridge_crm_calls_total has',
    ]);
    expect(asPrometheusSees('rate(x{connector=~"$connector"}[$__rate_interval])')).toBe(
      'rate(x{connector=~"value"}[5m])',
    );
  });

  it.each(expressions.map(({ source, expr }) => [source, expr]))('%s parses as PromQL', (_source, expr) => {
    expect(expr).not.toContain('$');
    expect(parsePromQl(expr).errors).toEqual([]);
  });

  it.each(expressions.map(({ source, expr }) => [source, expr]))(
    '%s selects metrics, labels and values the bridge has',
    (_source, expr) => {
      expect(checkAgainstBridge(parsePromQl(expr))).toEqual([]);
    },
  );
});

describe('the alert rules (components/prometheus-operator/prometheusrule.yaml)', () => {
  const runbooks = readFileSync(RUNBOOKS, 'utf8');
  /** GitHub's anchors for the document's headings (lower case, punctuation dropped, spaces to hyphens). */
  const anchors = new Set(
    [...runbooks.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
      match[1]!
        .trim()
        .toLowerCase()
        .replaceAll(/[^\p{L}\p{N} _-]/gu, '')
        .replaceAll(' ', '-'),
    ),
  );

  it('is a valid PrometheusRule (the Prometheus Operator CRD schema)', () => {
    expect(ruleDocument.kind).toBe('PrometheusRule');
    new PrometheusRule(ruleDocument as never).validate();
    expect(() =>
      new PrometheusRule({ ...ruleDocument, spec: { groups: [{ rules: [] }] } } as never).validate(),
    ).toThrow(/name/);
  });

  it('alerts on what on-call must know: errors, latency, breakers, shedding, Redis, CRM 429s, lockouts', () => {
    const metricsAlertedOn = alerts.map((alert) => `${alert.alert}: ${alert.expr}`).join('\n');
    expect(metricsAlertedOn).toMatch(/bridge_requests_total\{status=~"5\.\."\}/);
    expect(metricsAlertedOn).toMatch(/histogram_quantile\(0\.99,[\s\S]*bridge_request_duration_seconds_bucket/);
    expect(metricsAlertedOn).toContain('bridge_crm_calls_total{outcome="circuit_open"}');
    expect(metricsAlertedOn).toContain('bridge_crm_budget_shed_total');
    expect(metricsAlertedOn).toContain('bridge_shared_state_fallbacks_total');
    expect(metricsAlertedOn).toContain('bridge_crm_calls_total{outcome="rate_limited"}');
    expect(metricsAlertedOn).toContain('bridge_inbound_rejections_total{reason="lockout"}');
  });

  it.each(alerts.map((alert) => [alert.alert!, alert]))(
    '%s: severity, summary, description, a `for`, and a runbook in docs/monitoring.md',
    (name, alert) => {
      expect(name).toMatch(/^Bridge[A-Z][A-Za-z0-9]+$/);
      expect(['critical', 'warning', 'info']).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary?.length).toBeGreaterThan(10);
      expect(alert.annotations?.description?.length).toBeGreaterThan(20);
      expect(alert.for).toMatch(/^\d+[smh]$/);
      const runbook = new URL(alert.annotations!.runbook_url!);
      expect(runbook.pathname).toMatch(/\/docs\/monitoring\.md$/);
      expect(runbook.hash).toBe(`#${name.toLowerCase()}`);
      expect([...anchors]).toContain(runbook.hash.slice(1));
      // The runbook says what the alert means, what to check first and what to do.
      const section = runbooks.slice(runbooks.indexOf(`### ${name}\n`)).split(/\n#{2,3} /)[0]!;
      expect(section).toMatch(/\*\*What it means\.\*\*/);
      expect(section).toMatch(/\*\*Check first\.\*\*/);
      expect(section).toMatch(/\*\*What to do\.\*\*/);
    },
  );

  it('holds the p99 alert at the deadline the base configuration sets (REQUEST_DEADLINE_MS)', () => {
    const kustomization = readFileSync(join(DEPLOY, 'base/kustomization.yaml'), 'utf8');
    const deadlineSeconds = Number(/^\s*- REQUEST_DEADLINE_MS=(\d+)$/m.exec(kustomization)![1]) / 1000;
    const p99 = alerts.find((alert) => alert.expr.includes('histogram_quantile(0.99'))!;
    expect(Number(/>\s*([\d.]+)\s*$/.exec(p99.expr.trim())![1])).toBe(deadlineSeconds);
    const latencyPanel = panels.find((panel) =>
      panel.targets?.some((target) => target.expr.includes('bridge_request_duration_seconds_bucket')),
    )!;
    expect(latencyPanel.fieldConfig?.defaults?.thresholds?.steps.map((step) => step.value)).toContain(deadlineSeconds);
  });
});

describe('the Grafana dashboard (components/grafana-dashboard/interaction-bridge.json)', () => {
  it('shows on-call what they look at first', () => {
    const queries = panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    const shows = (pattern: RegExp) =>
      expect(
        queries.some((expr) => pattern.test(expr)),
        String(pattern),
      ).toBe(true);
    shows(/sum by \(connector, status\) \(rate\(bridge_requests_total/);
    shows(/histogram_quantile\(0\.5, .*bridge_request_duration_seconds_bucket/);
    shows(/histogram_quantile\(0\.99, .*bridge_request_duration_seconds_bucket/);
    shows(/bridge_crm_calls_per_request_(sum|bucket)/);
    shows(/bridge_crm_calls_total\{[^}]*outcome="rate_limited"/);
    shows(/bridge_crm_budget_shed_total/);
    shows(/bridge_crm_calls_total\{[^}]*outcome="circuit_open"/);
    shows(/bridge_cache_lookups_total\{[^}]*result="hit"/);
    shows(/bridge_shared_state_fallbacks_total/);
    shows(/bridge_inbound_rejections_total/);
  });

  it('is a dashboard Grafana loads: a uid, unique panel ids, every query on the chosen Prometheus', () => {
    expect(dashboard.uid).toBe('interaction-bridge');
    const ids = panels.map((panel) => (panel as unknown as { id: number }).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(variables.find((variable) => variable.name === 'datasource')).toMatchObject({
      type: 'datasource',
      query: 'prometheus',
    });
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect((panel as unknown as { datasource: { uid: string } }).datasource.uid, panel.title).toBe('${datasource}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });
});
