// Architecture rules checked by `npm run lint`: domain code stays free of HTTP and SQL,
// services never reach into each other, and nothing depends in a circle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds the rules: it imports neither express nor pg, nor routes or db code.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: ['node_modules/(express|pg|pg-pool)/', '^services/[^/]+/src/(routes|db)/'] },
    },
    {
      name: 'routes-do-not-write-sql',
      comment: 'HTTP routes call domain or db functions; they never import pg themselves.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/routes/' },
      to: { path: 'node_modules/(pg|pg-pool)/' },
    },
    {
      name: 'no-service-to-service-imports',
      comment: 'Services talk over HTTP and the bus, never by importing each other.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-do-not-import-services',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: true,
  },
};
