// The Kubernetes manifests: every overlay renders offline with `kubectl kustomize`, every object
// passes the Kubernetes API schemas (kubernetes-models) with no unknown field (kubernetes-types),
// and each service runs as the design asks: probes, limits, non-root, read-only, its own Secret.
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SERVICES } from '@azora/contracts';
import { schemaProblems, unknownFieldProblems, type KubernetesObject } from './support/kubernetes-schemas';
import { REPO_ROOT, requireTool, run } from './support/tools';

const KUSTOMIZE_ROOT = path.join(REPO_ROOT, 'infrastructure', 'kubernetes');
const OVERLAYS = ['base', 'overlays/production', 'overlays/staging'];

interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean };
}
type Workload = KubernetesObject & {
  spec: { template: { metadata?: { annotations?: Record<string, string> }; spec: PodSpec } };
};

function render(overlay: string): KubernetesObject[] {
  const result = run('kubectl', ['kustomize', path.join(KUSTOMIZE_ROOT, overlay)]);
  if (result.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null);
}

function find<T extends KubernetesObject>(objects: KubernetesObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as T;
}

beforeAll(() => requireTool('kubectl', ['version', '--client']));

describe.each(OVERLAYS)('The Kubernetes manifests of %s', (overlay) => {
  let objects: KubernetesObject[];
  beforeAll(() => {
    objects = render(overlay);
  });

  it('When rendered, then every object passes the Kubernetes API schemas', () => {
    expect(objects.length).toBeGreaterThan(SERVICES.length * 2);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('When rendered, then no object has a field the Kubernetes API does not know', () => {
    expect(unknownFieldProblems(objects)).toEqual([]);
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'When %s is deployed, then it listens on its catalog port, is ready on /ready and alive on /health',
    (_name, info) => {
      const deployment = find<Workload>(objects, 'Deployment', info.name);
      const container = deployment.spec.template.spec.containers[0]!;
      expect(container.ports).toEqual([{ name: 'http', containerPort: info.port }]);
      expect(container.env).toContainEqual({ name: 'PORT', value: String(info.port) });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
      const service = find<KubernetesObject & { spec: { ports: { port: number; targetPort: string }[] } }>(
        objects,
        'Service',
        info.name,
      );
      expect(service.spec.ports).toEqual([{ name: 'http', port: info.port, targetPort: 'http' }]);
      expect(deployment.spec.template.metadata?.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(info.port),
        'prometheus.io/path': '/metrics',
      });
    },
  );

  it.each(SERVICES.map((s) => [s.name, s] as const))(
    'When %s is deployed, then it runs bounded, as a non-root user, on a read-only root filesystem, with no capability',
    (_name, info) => {
      const pod = find<Workload>(objects, 'Deployment', info.name).spec.template.spec;
      const container = pod.containers[0]!;
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    },
  );

  it('When the services read their secrets, then each reads its own Secret and no other', () => {
    for (const info of SERVICES) {
      const container = find<Workload>(objects, 'Deployment', info.name).spec.template.spec.containers[0]!;
      const secrets = (container.envFrom ?? []).flatMap((e) => (e.secretRef ? [e.secretRef.name] : []));
      expect(secrets).toEqual([`${info.name}-secrets`]);
    }
  });

  it('When settings are shared through the ConfigMap, then it holds no secret', () => {
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('azora-config'));
    const names = Object.keys((config as { data?: Record<string, string> } | undefined)?.data ?? {});
    expect(names).toContain('AZORA_NEXUS_URL');
    expect(names.filter((n) => /PASSWORD|SECRET|PRIVATE|DATABASE_URL|API_KEY|ENCRYPTION/.test(n))).toEqual([]);
  });

  it('When the platform is applied, then the bootstrap runs as a Job from its own Secret', () => {
    const job = find<Workload>(objects, 'Job', 'azora-bootstrap');
    const container = job.spec.template.spec.containers[0]!;
    expect(container.envFrom).toEqual([{ secretRef: { name: 'azora-bootstrap' } }]);
    expect(container.image).toMatch(/bootstrap/);
  });
});
