import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import { DEPLOYMENT_NODE_FLAGS } from '../../bench/node-flags.js';
import { loadProtectionSettings } from '../../apps/bridge/src/protection/protection-config.js';

/**
 * The Kubernetes manifests in deploy/: every object valid against the Kubernetes API's JSON schemas (those bundled by
 * the kubernetes-models package, no cluster and no network needed), as written and as kustomize renders them, and
 * the settings that make a rollout or a drain lose no request.
 */
const DEPLOY = join(import.meta.dirname, '../../deploy');
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests, asserted field by field
  [key: string]: any;
};

/**
 * Throws with the schema's complaint when the object is not a valid `kind` of `apiVersion`: the Kubernetes API's
 * schemas, and the Prometheus Operator's CRDs for its kinds (ServiceMonitor, PrometheusRule).
 */
async function validate(object: K8sObject): Promise<void> {
  const models = object.apiVersion.startsWith('monitoring.coreos.com/')
    ? '@kubernetes-models/prometheus-operator'
    : 'kubernetes-models';
  const module = (await import(/* @vite-ignore */ `${models}/${object.apiVersion}/${object.kind}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  new module[object.kind]!(object).validate();
}

function parseYaml(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]!.message}`);
    const object = document.toJS() as K8sObject | null;
    return object ? [object] : [];
  });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** kustomize, as kubectl embeds it, or the standalone binary; undefined when neither is installed. */
function kustomizeCommand(): string[] | undefined {
  for (const command of [
    ['kubectl', 'kustomize'],
    ['kustomize', 'build'],
  ]) {
    try {
      execFileSync(command[0]!, command[0] === 'kubectl' ? ['version', '--client'] : ['version'], { stdio: 'ignore' });
      return command;
    } catch {
      // not installed; try the next
    }
  }
  return undefined;
}
const kustomize = kustomizeCommand();

const rendered = new Map<string, string>();
function render(dir: string): K8sObject[] {
  const [command, ...args] = kustomize!;
  if (!rendered.has(dir)) rendered.set(dir, execFileSync(command!, [...args, join(DEPLOY, dir)], { encoding: 'utf8' }));
  return parseYaml(rendered.get(dir)!, dir);
}

const byKind = (objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);
const one = (objects: K8sObject[], kind: string, name?: RegExp) => {
  const found = byKind(objects, kind).filter((object) => !name || name.test(object.metadata.name));
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};
/** The bridge's configuration (the generated ConfigMap, its name hashed) and its public Service. */
const bridgeConfig = (objects: K8sObject[]) => one(objects, 'ConfigMap', /^interaction-bridge-config-/);
const publicService = (objects: K8sObject[]) => one(objects, 'Service', /^interaction-bridge$/);

describe('the Kubernetes schemas', () => {
  it('reject what the API server would refuse', async () => {
    const deployment = parseYaml(readFileSync(join(DEPLOY, 'base/deployment.yaml'), 'utf8'), 'deployment.yaml')[0]!;
    await validate(deployment);
    await expect(validate({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } })).rejects.toThrow(
      /replicas/,
    );
    const container = deployment.spec.template.spec.containers[0];
    const noPort = { ...container, readinessProbe: { httpGet: { path: '/health/ready' } } };
    const broken = {
      ...deployment,
      spec: {
        ...deployment.spec,
        template: { ...deployment.spec.template, spec: { ...deployment.spec.template.spec, containers: [noPort] } },
      },
    };
    await expect(validate(broken)).rejects.toThrow(/port/);
  });

  it("reject a ServiceMonitor the Prometheus Operator's CRD would refuse", async () => {
    const file = join(DEPLOY, 'components/prometheus-operator/servicemonitor.yaml');
    const monitor = parseYaml(readFileSync(file, 'utf8'), 'servicemonitor.yaml')[0]!;
    await validate(monitor);
    await expect(validate({ ...monitor, spec: { ...monitor.spec, endpoints: [{ port: 9464 }] } })).rejects.toThrow(
      /port/,
    );
  });
});

describe('deploy/ as written', () => {
  const resources = yamlFiles(DEPLOY)
    .filter((file) => !file.endsWith('kustomization.yaml'))
    .flatMap((file) =>
      parseYaml(readFileSync(file, 'utf8'), relative(DEPLOY, file)).map((object) => ({ file, object })),
    );

  it('has the objects the bridge needs', () => {
    const kinds = resources.map(({ object }) => object.kind);
    for (const kind of [
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'HorizontalPodAutoscaler',
      'NetworkPolicy',
      'ServiceAccount',
      'Ingress',
      'ServiceMonitor',
      'PrometheusRule',
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it.each(resources.map(({ file, object }) => [relative(DEPLOY, file), object.kind, object] as const))(
    '%s (%s) is valid',
    async (_file, _kind, object) => {
      // Overlay patches are partial objects: only their kind and name need to be right.
      if (object.spec?.podSelector === undefined && object.kind === 'NetworkPolicy') return;
      await validate(object);
    },
  );
});

describe('the V8 flags the bridge runs with (bench/node-flags.ts)', () => {
  const kustomization = readFileSync(join(DEPLOY, 'base/kustomization.yaml'), 'utf8');
  const nodeOptions = (/^\s*- NODE_OPTIONS=(.*)$/m.exec(kustomization)?.[1] ?? '').split(/\s+/).filter(Boolean);
  const dockerfile = readFileSync(join(DEPLOY, '../Dockerfile'), 'utf8');
  const imageCommand = JSON.parse(
    dockerfile
      .slice(dockerfile.indexOf('FROM app AS bridge'))
      .split('\n')
      .find((line) => line.startsWith('CMD '))!
      .slice('CMD '.length),
  ) as string[];
  const BRIDGE_MAIN = 'dist/apps/bridge/src/main.js';

  it('are all deployed: each in NODE_OPTIONS when Node allows it there, else on the image command line', () => {
    expect(imageCommand[0]).toBe('node');
    expect(imageCommand.at(-1)).toBe(BRIDGE_MAIN);
    const onCommandLine = imageCommand.slice(1, -1);
    for (const flag of DEPLOYMENT_NODE_FLAGS) {
      // Node refuses to start with a flag NODE_OPTIONS may not carry, and ignores none that it may.
      if (process.allowedNodeEnvironmentFlags.has(flag)) expect(nodeOptions).toContain(flag);
      else expect(onCommandLine).toContain(flag);
    }
    // Nothing else on the command line: a flag added there belongs in the list the benchmark measures.
    expect(onCommandLine.every((flag) => (DEPLOYMENT_NODE_FLAGS as readonly string[]).includes(flag))).toBe(true);
    expect(nodeOptions.every((flag) => process.allowedNodeEnvironmentFlags.has(flag))).toBe(true);
  });

  it('keep the young generation at one size: the image sets the minimum to the maximum NODE_OPTIONS allows', () => {
    const maximum = nodeOptions.find((flag) => flag.startsWith('--max-semi-space-size='))?.split('=')[1];
    expect(maximum).toBeDefined();
    expect(imageCommand).toContain(`--min-semi-space-size=${maximum}`);
  });

  it('are not replaced: no Deployment container sets a command; compose and start:prod pass them all', () => {
    const deployment = parseYaml(readFileSync(join(DEPLOY, 'base/deployment.yaml'), 'utf8'), 'deployment.yaml')[0]!;
    for (const container of deployment.spec.template.spec.containers as Record<string, unknown>[]) {
      expect(container).not.toHaveProperty('command');
      expect(container).not.toHaveProperty('args');
    }
    const document = parseDocument(readFileSync(join(DEPLOY, '../docker-compose.yml'), 'utf8'), { merge: true });
    expect(document.errors).toEqual([]);
    const compose = document.toJS() as { services: Record<string, { command?: string[] }> };
    // Every compose service but the sandbox and Redis is a bridge replica.
    const bridges = Object.entries(compose.services).filter(([name]) => !['crm-sandbox', 'redis'].includes(name));
    expect(bridges.length).toBeGreaterThan(0);
    for (const [, bridge] of bridges) expect(bridge.command).toEqual(['node', ...DEPLOYMENT_NODE_FLAGS, BRIDGE_MAIN]);
    const scripts = (
      JSON.parse(readFileSync(join(DEPLOY, '../package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts['start:prod']).toBe(['node', ...DEPLOYMENT_NODE_FLAGS, BRIDGE_MAIN].join(' '));
  });
});

// On a developer's machine without kubectl or kustomize the rendering tests are skipped; CI must not skip them.
it.runIf(process.env.CI)('kustomize is installed where CI runs (kubectl kustomize or kustomize)', () => {
  expect(kustomize, 'install kubectl (with its kustomize) or kustomize on the CI machine').toBeDefined();
});

describe.skipIf(!kustomize)('deploy/ as kustomize renders it', () => {
  for (const dir of ['base', 'overlays/example']) {
    it(`${dir}: every object is valid`, async () => {
      const objects = render(dir);
      expect(objects.length).toBeGreaterThan(5);
      for (const object of objects) await validate(object);
    });
  }

  it('overlays/example: one pod spec that drains cleanly and runs locked down', () => {
    const objects = render('overlays/example');
    const deployment = one(objects, 'Deployment');
    const config = bridgeConfig(objects);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];

    expect(deployment.spec.replicas).toBe(2);
    expect(container.image).toBe('registry.example.com/talkdesk/interaction-bridge:0.1.0');
    // Configuration by a generated (hashed) ConfigMap and an optional Secret, both referenced by their final names.
    const sources = container.envFrom.map((source: any) => source.configMapRef?.name ?? source.secretRef?.name); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(sources).toEqual([config.metadata.name, one(objects, 'Secret').metadata.name]);
    expect(config.metadata.name).toMatch(/^interaction-bridge-config-[a-z0-9]{10}$/);
    expect(config.data.CRM_SANDBOX).toBe('off');

    // The probes: the bridge's own endpoints on its own port.
    const port = container.ports.find((p: { name: string }) => p.name === 'http').containerPort;
    expect(String(port)).toBe(config.data.PORT);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.periodSeconds).toBeLessThanOrEqual(container.livenessProbe.periodSeconds);

    // Drain: the preStop pause is the bridge's drain delay, and the grace period outlasts pause + drain + a request.
    const pauseSeconds = Number(container.lifecycle.preStop.exec.command[1]);
    expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
    expect(pauseSeconds * 1000).toBe(Number(config.data.SHUTDOWN_DRAIN_DELAY_MS));
    const drainBoundSeconds =
      pauseSeconds + (Number(config.data.SHUTDOWN_DRAIN_DELAY_MS) + Number(config.data.REQUEST_DEADLINE_MS)) / 1000;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drainBoundSeconds);

    // Locked down: non-root, read-only root, no capabilities, no privilege escalation, no service-account token.
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('overlays/example: the Service, budget, autoscaler and policies select the pods', () => {
    const objects = render('overlays/example');
    const deployment = one(objects, 'Deployment');
    const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
    const selects = (selector: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => podLabels[key] === value);

    for (const service of byKind(objects, 'Service')) expect(selects(service.spec.selector)).toBe(true);
    expect(publicService(objects).spec.ports.map((port: { targetPort: string }) => port.targetPort)).toEqual(['http']);
    const budget = one(objects, 'PodDisruptionBudget');
    expect(selects(budget.spec.selector.matchLabels)).toBe(true);
    expect(budget.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    const autoscaler = one(objects, 'HorizontalPodAutoscaler');
    expect(autoscaler.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    expect(autoscaler.spec.minReplicas).toBe(deployment.spec.replicas);

    // Egress: DNS, HTTPS and (with their components) Redis and the OTLP collector, and nothing else.
    const policies = byKind(objects, 'NetworkPolicy');
    for (const policy of policies) expect(selects(policy.spec.podSelector.matchLabels)).toBe(true);
    const egressPorts = policies
      .flatMap((policy) => policy.spec.egress ?? [])
      .flatMap((rule: { ports?: { port: number; protocol: string }[] }) => rule.ports ?? [])
      .map(({ port, protocol }: { port: number; protocol: string }) => `${protocol}/${port}`);
    expect(new Set(egressPorts)).toEqual(new Set(['UDP/53', 'TCP/53', 'TCP/443', 'TCP/6379', 'TCP/4318']));
    expect(
      policies.every((policy) => (policy.spec.egress ?? []).every((rule: { ports?: unknown[] }) => rule.ports?.length)),
    ).toBe(true);
    // Every rule names its destinations: none is open to every address, the cluster's included.
    expect(
      policies.every((policy) => (policy.spec.egress ?? []).every((rule: { to?: unknown[] }) => rule.to?.length)),
    ).toBe(true);
    // HTTPS goes to addresses outside the cluster only: no private, shared or link-local range (the pods, services,
    // nodes, a cloud's metadata endpoint).
    const https = policies
      .flatMap((policy) => policy.spec.egress ?? [])
      .filter((rule: { ports: { port: number }[] }) => rule.ports.some((port) => port.port === 443));
    expect(https).toHaveLength(1);
    const blocks = https[0].to.map((peer: { ipBlock?: { cidr: string; except?: string[] } }) => peer.ipBlock);
    expect(blocks.every(Boolean), 'HTTPS to ipBlocks only, no pod or namespace selector').toBe(true);
    expect(blocks.map((block: { cidr: string }) => block.cidr).sort()).toEqual(['0.0.0.0/0', '::/0']);
    const excepted = blocks.flatMap((block: { except?: string[] }) => block.except ?? []);
    for (const range of [
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '100.64.0.0/10',
      '169.254.0.0/16',
      'fc00::/7',
      'fe80::/10',
    ]) {
      expect(excepted).toContain(range);
    }
  });

  it('overlays/example: /metrics on its own port, which the public Service does not expose and only Prometheus reaches', () => {
    const objects = render('overlays/example');
    const config = bridgeConfig(objects);
    const pod = one(objects, 'Deployment').spec.template;
    const container = pod.spec.containers[0];
    const metricsPort = container.ports.find((port: { name: string }) => port.name === 'metrics');
    expect(String(metricsPort.containerPort)).toBe(config.data.METRICS_PORT);
    expect(config.data.METRICS_PORT).not.toBe(config.data.PORT);
    expect(config.data.METRICS_HOST).toBe('0.0.0.0');
    // For a Prometheus that discovers pods by annotation.
    expect(pod.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': config.data.METRICS_PORT,
      'prometheus.io/path': '/metrics',
    });

    // The public Service: the bridge's port only.
    const exposed = publicService(objects).spec.ports;
    expect(exposed.map((port: { targetPort: string }) => port.targetPort)).toEqual(['http']);
    expect(exposed.map((port: { port: number }) => String(port.port))).not.toContain(config.data.METRICS_PORT);

    // The ServiceMonitor scrapes the metrics Service's port, which is the pods' metrics port; it selects that Service
    // and not the public one.
    const monitor = one(objects, 'ServiceMonitor');
    const metricsService = one(objects, 'Service', /^interaction-bridge-metrics$/);
    const selected = (service: K8sObject) =>
      Object.entries(monitor.spec.selector.matchLabels as Record<string, string>).every(
        ([key, value]) => service.metadata.labels?.[key] === value,
      );
    expect(selected(metricsService)).toBe(true);
    expect(selected(publicService(objects))).toBe(false);
    expect(metricsService.spec.clusterIP).toBe('None');
    expect(metricsService.spec.ports).toEqual([
      { name: monitor.spec.endpoints[0].port, port: metricsPort.containerPort, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(monitor.spec.endpoints[0].path).toBe('/metrics');
    expect(one(objects, 'PrometheusRule').metadata.namespace).toBe(monitor.metadata.namespace);

    // In: the bridge's port from the ingress controller's namespace; the metrics port from Prometheus' pods only.
    const ingressRules = one(objects, 'NetworkPolicy', /^interaction-bridge$/).spec.ingress as {
      from: { namespaceSelector?: { matchLabels: Record<string, string> }; podSelector?: { matchLabels: object } }[];
      ports: { port: string }[];
    }[];
    expect(ingressRules.map((rule) => rule.ports.map((port) => port.port))).toEqual([['http'], ['metrics']]);
    const [web, scrape] = ingressRules;
    expect(web!.from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
    expect(scrape!.from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    ]);
  });

  it('overlays/example: an Ingress with TLS, its limits those of the bridge', () => {
    const objects = render('overlays/example');
    const config = bridgeConfig(objects);
    const ingress = one(objects, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    const [tls] = ingress.spec.tls;
    expect(tls.secretName).toBe('interaction-bridge-tls');
    const [rule] = ingress.spec.rules;
    expect(tls.hosts).toEqual([rule.host]);
    expect(rule.http.paths).toEqual([
      {
        path: '/',
        pathType: 'Prefix',
        backend: { service: { name: publicService(objects).metadata.name, port: { name: 'http' } } },
      },
    ]);

    const annotation = (name: string) => ingress.metadata.annotations![`nginx.ingress.kubernetes.io/${name}`] as string;
    // nginx sizes: k and m are KiB and MiB.
    const size = /^(\d+)([km]?)$/i.exec(annotation('proxy-body-size'))!;
    const bodyBytes =
      Number(size[1]) * ({ '': 1, k: 1024, m: 1024 * 1024 } as Record<string, number>)[size[2]!.toLowerCase()]!;
    expect(bodyBytes).toBe(Number(config.data.BODY_LIMIT_BYTES));
    // nginx waits for an answer longer than the bridge takes to give one (its deadline), with room for the answer.
    const deadlineMs = Number(config.data.REQUEST_DEADLINE_MS);
    for (const timeout of ['proxy-read-timeout', 'proxy-send-timeout']) {
      expect(Number(annotation(timeout)) * 1000, timeout).toBeGreaterThanOrEqual(deadlineMs + 5000);
    }
    expect(Number(annotation('proxy-connect-timeout')) * 1000).toBeLessThan(deadlineMs);
  });

  it("overlays/example: TRUST_PROXY names the ingress controller's addresses, and only the controller reaches the port", () => {
    const objects = render('overlays/example');
    const trusted = bridgeConfig(objects).data.TRUST_PROXY as string;
    expect(trusted).toBeDefined();
    // Valid as the bridge reads it (addresses or CIDR ranges; never "true" or a hop count).
    expect(loadProtectionSettings({ TRUST_PROXY: trusted }).trustProxy).toEqual(
      trusted.split(',').map((s) => s.trim()),
    );
    // A range trusts whoever reaches the bridge's port from it: the NetworkPolicy admits the controller's namespace only.
    const httpFrom = one(objects, 'NetworkPolicy', /^interaction-bridge$/)
      .spec.ingress.filter((rule: { ports: { port: string }[] }) => rule.ports.some((port) => port.port === 'http'))
      .flatMap((rule: { from?: unknown[] }) => rule.from ?? [undefined]);
    expect(httpFrom).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
  });

  it("overlays/example: the Grafana dashboard as a ConfigMap for Grafana's sidecar", () => {
    const dashboard = one(render('overlays/example'), 'ConfigMap', /^interaction-bridge-dashboard$/);
    expect(dashboard.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(dashboard.data['interaction-bridge.json']).toBe(
      readFileSync(join(DEPLOY, 'components/grafana-dashboard/interaction-bridge.json'), 'utf8'),
    );
  });

  it('base: nothing that needs the Prometheus Operator, no Ingress, no Redis or collector egress unless their components are used', () => {
    const objects = render('base');
    expect(objects.filter((object) => object.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
    expect(byKind(objects, 'Ingress')).toEqual([]);
    const policies = byKind(objects, 'NetworkPolicy');
    const ports = policies
      .flatMap((policy) => policy.spec.egress)
      .flatMap((rule: { ports: { port: number }[] }) => rule.ports.map((p) => p.port));
    expect(new Set(ports)).toEqual(new Set([53, 443]));
  });
});
