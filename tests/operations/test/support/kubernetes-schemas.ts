// Kubernetes objects checked against the API's schemas, offline: kubernetes-models (the JSON
// schemas of the Kubernetes OpenAPI document, with ajv) for types, required fields and formats,
// and kubernetes-types through the TypeScript compiler for fields the API does not have (a
// misspelt `readinessprobe` would otherwise be dropped silently by the API server).
import ts from 'typescript';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** kubernetes-models' module and kubernetes-types' module and type name, by apiVersion. */
function modelPaths(object: KubernetesObject): { model: string; typesModule: string } {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const model = group
    ? `kubernetes-models/${group}/${version}/${object.kind}`
    : `kubernetes-models/${version}/${object.kind}`;
  const typesGroup = group ? (group.split('.')[0] as string) : 'core';
  return { model, typesModule: `kubernetes-types/${typesGroup}/${version}` };
}

/** The schema problems of each object, by "Kind/name"; empty when every object is valid. */
export function schemaProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const { model } = modelPaths(object);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(model) as Record<string, new (data: unknown) => { validate(): void }>;
    const Model = exported[object.kind];
    if (!Model) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Fields the API does not know, found by type-checking each object as its kubernetes-types type. */
export function unknownFieldProblems(objects: readonly KubernetesObject[]): string[] {
  const modules = [...new Set(objects.map((o) => modelPaths(o).typesModule))];
  const alias = (o: KubernetesObject) => `T${modules.indexOf(modelPaths(o).typesModule)}_${o.kind}`;
  const header = modules.map((module) => {
    const kinds = [...new Set(objects.filter((o) => modelPaths(o).typesModule === module).map((o) => o.kind))];
    return `import type { ${kinds.map((k) => `${k} as T${modules.indexOf(module)}_${k}`).join(', ')} } from '${module}';`;
  });
  const lines = objects.map(
    (o, index) =>
      `// ${o.kind}/${o.metadata.name}\nexport const object${index}: ${alias(o)} = ${JSON.stringify(o, null, 1)};`,
  );
  const source = [...header, ...lines].join('\n');
  const fileName = `${__dirname}/__manifests__.ts`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === fileName ? source : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language) =>
    name === fileName ? ts.createSourceFile(name, source, language) : getSourceFile(name, language);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === fileName)
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const owner =
        source
          .split('\n')
          .slice(0, line + 1)
          .reverse()
          .find((l) => l.startsWith('// ')) ?? '';
      return `${owner.slice(3)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
}
