// The schema checks themselves: a check that passes everything would prove nothing.
import { schemaProblems, unknownFieldProblems, type KubernetesObject } from './support/kubernetes-schemas';

type Deployment = KubernetesObject & {
  spec: Record<string, unknown> & {
    template: { metadata: Record<string, unknown>; spec: { containers: Record<string, unknown>[] } };
  };
};

function aDeployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'example' },
    spec: {
      selector: { matchLabels: { app: 'example' } },
      template: {
        metadata: { labels: { app: 'example' } },
        spec: { containers: [{ name: 'service', image: 'example:1', ports: [{ containerPort: 3000 }] }] },
      },
    },
  };
}

describe('The Kubernetes schema checks', () => {
  it('When a Deployment is well formed, then neither check finds a problem', () => {
    expect(schemaProblems([aDeployment()])).toEqual([]);
    expect(unknownFieldProblems([aDeployment()])).toEqual([]);
  });

  it('When a field has the wrong type, then the schema check names it', () => {
    const deployment = aDeployment();
    deployment.spec.template.spec.containers[0]!['ports'] = [{ containerPort: 'three thousand' }];
    expect(schemaProblems([deployment]).join('\n')).toMatch(/Deployment\/example: .*containerPort must be integer/);
  });

  it('When a required field is missing, then the schema check names it', () => {
    const deployment = aDeployment();
    delete (deployment.spec as Record<string, unknown>)['selector'];
    expect(schemaProblems([deployment]).join('\n')).toMatch(/required property selector/);
  });

  it('When a field is misspelt, then the unknown-field check names the object and the field', () => {
    const deployment = aDeployment();
    deployment.spec.template.spec.containers[0]!['readinessprobe'] = { httpGet: { path: '/ready', port: 3000 } };
    expect(unknownFieldProblems([deployment]).join('\n')).toMatch(
      /Deployment\/example: .*readinessprobe.* does not exist in type 'Container'/,
    );
  });
});
