// The observability files under infrastructure/: Prometheus' scrape config and alert rules pass
// promtool (config, rules, and the rules' unit tests), every service of the catalog is scraped at
// its compose name and port, the alerts read monitoring's own metric, and the Grafana dashboard
// uses the provisioned data source and only metrics some service exposes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES } from '@azora/contracts';
import { promtool } from './support/tools';

const ROOT = path.resolve(__dirname, '..', '..', '..', 'infrastructure');
const MONITORING = path.join(ROOT, 'monitoring');
const read = (...parts: string[]) => readFileSync(path.join(ROOT, ...parts), 'utf8');

describe('the Prometheus configuration', () => {
  it('When promtool checks prometheus.yml, then it is valid and finds the rule file', () => {
    expect(promtool(['check', 'config', 'prometheus.yml'], { cwd: MONITORING })).toMatch(/SUCCESS: 1 rule files found/);
  });

  it('When promtool checks alerts.yml, then every rule is valid', () => {
    expect(promtool(['check', 'rules', 'alerts.yml'], { cwd: MONITORING })).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("When promtool runs the rules' unit tests, then every alert fires when it should and only then", () => {
    expect(promtool(['test', 'rules', 'tests/alerts.test.yml'], { cwd: MONITORING })).toMatch(/SUCCESS/);
  });

  it('When the scrape config is read, then each of the ten services is a job at its catalog name and port', () => {
    const config = read('monitoring', 'prometheus.yml');

    for (const service of SERVICES) {
      expect(config).toContain(`- job_name: ${service.name}\n`);
      expect(config).toContain(`['${service.name}:${service.port}']`);
    }
  });

  it('When the alerts are read, then each alert the platform needs is there', () => {
    const rules = read('monitoring', 'alerts.yml');

    for (const alert of [
      'ServiceDown',
      'ServiceUnhealthy',
      'HighErrorRate',
      'HighLatencyP99',
      'OutboxLagging',
      'DeadLettersGrowing',
      'PaymentFailuresSpike',
    ]) {
      expect(rules).toContain(`alert: ${alert}\n`);
      expect(read('monitoring', 'tests', 'alerts.test.yml')).toContain(`alertname: ${alert}\n`);
    }
    expect(rules).toContain('service_health_status == 0');
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(read('grafana', 'dashboards', 'azora-overview.json')) as {
    uid: string;
    panels: { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
  };
  const datasource = read('grafana', 'provisioning', 'datasources', 'prometheus.yml');

  it('When its panels are read, then each queries the provisioned Prometheus', () => {
    const uid = /uid: (\S+)/.exec(datasource)?.[1];
    const queried = dashboard.panels.filter((p) => p.type !== 'row');

    expect(uid).toBe('azora-prometheus');
    expect(queried.length).toBeGreaterThan(20);
    for (const panel of queried) {
      expect({ title: panel.title, uid: panel.datasource?.uid }).toEqual({ title: panel.title, uid });
      expect(panel.targets?.length).toBeGreaterThan(0);
    }
  });

  it('When its queries are read, then they cover RED per service, the bus and the business counters', () => {
    const queries = dashboard.panels
      .flatMap((p) => p.targets ?? [])
      .map((t) => t.expr)
      .join('\n');

    for (const metric of [
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'service_health_status',
      'outbox_lag_seconds',
      'nexus_subscription_backlog',
      'nexus_dead_letters_total',
      'nexus_events_received_total',
      'mint_transfers_total',
      'pay_payments_total',
      'notification_deliveries_total',
      'ai_tokens_total',
      'analytics_events_ingested_total',
    ]) {
      expect(queries).toContain(metric);
    }
  });

  it('When the dashboards provider is read, then it loads the files from one folder', () => {
    expect(read('grafana', 'provisioning', 'dashboards', 'azora.yml')).toMatch(
      /type: file[\s\S]*path: \/var\/lib\/grafana\/dashboards\/azora/,
    );
  });
});
