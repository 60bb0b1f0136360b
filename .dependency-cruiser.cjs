// Architecture rules checked by `npm run lint`: domain code stays free of HTTP and SQL,
// services never reach into each other, and nothing depends in a circle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds the rules: no HTTP, no SQL, no providers, no other layer of the service.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: {
        path: [
          'node_modules/(express|pg|pg-pool|axios|stripe|openai|nodemailer)/',
          '^(http|https|net)$',
          '^services/[^/]+/src/(routes|db|use-cases|events)/',
          // The kit's main entry loads express, pg and pino; domain code takes DomainError
          // from '@azora/service-kit/errors' and only types from the rest.
          '^packages/service-kit/dist/index\\.js$',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'routes-do-not-write-sql',
      comment: 'HTTP routes call use cases; they never import pg or the db layer themselves.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/routes/' },
      to: { path: ['node_modules/(pg|pg-pool)/', '^services/[^/]+/src/db/'] },
    },
    {
      name: 'db-is-sql-only',
      comment: 'The db layer runs SQL for the use cases; it knows nothing of HTTP or of the layers above it.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/db/' },
      to: { path: ['node_modules/express/', '^services/[^/]+/src/(routes|use-cases|events)/'] },
    },
    {
      name: 'use-cases-know-no-http',
      comment: 'Use cases are called by routes and event handlers; they never see a request or a response.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/use-cases/' },
      to: { path: ['node_modules/express/', '^services/[^/]+/src/routes/'], dependencyTypesNot: ['type-only'] },
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
      name: 'no-undeclared-dependency',
      comment: "Every import of a package is declared in the importing workspace's own package.json.",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-dev-dependency-at-runtime',
      comment: "Code that ships (src/) imports only its workspace's dependencies, never its devDependencies.",
      severity: 'error',
      from: { path: '^(services|packages)/[^/]+/src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Packages (and the compiled workspaces they resolve to) are reached, so that rules about
    // them apply, but never cruised themselves.
    doNotFollow: { path: ['node_modules', '^(services|packages|tests)/[^/]+/dist/'] },
    exclude: { path: '(^|/)coverage/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    // Each workspace's own package.json only: the root's devDependencies must not hide a
    // workspace's undeclared import.
    combinedDependencies: false,
  },
};
