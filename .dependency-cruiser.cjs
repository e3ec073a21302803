/**
 * The one-way dependency rules between the project's packages (see docs/architecture.md).
 * connector, app -> shared/runtime -> consumption -> transport & content -> protocol;
 * actors -> protocol and the actor kit only; no actor imports another.
 */
const pkg = (p) => `^(${p})/`;
module.exports = {
  forbidden: [
    {
      name: 'protocol-is-the-root',
      comment: 'shared/protocol depends on no other package of the project.',
      severity: 'error',
      from: { path: pkg('shared/protocol') },
      to: { path: pkg('shared/(?!protocol)[^/]+|actors|broker-config|connector|app|tests') },
    },
    {
      name: 'transport-and-content-only-on-protocol',
      severity: 'error',
      from: { path: pkg('shared/(transport|content)') },
      to: { path: pkg('shared/(consumption|runtime)|actors|broker-config|connector|app|tests') },
    },
    {
      name: 'content-is-pure',
      comment: 'content holds data and validation only; it never reaches transport.',
      severity: 'error',
      from: { path: pkg('shared/content') },
      to: { path: pkg('shared/transport') },
    },
    {
      name: 'consumption-below-runtime',
      severity: 'error',
      from: { path: pkg('shared/consumption') },
      to: { path: pkg('shared/runtime|actors|broker-config|connector|app|tests') },
    },
    {
      name: 'sdk-never-reaches-backbone',
      severity: 'error',
      from: { path: pkg('shared') },
      to: { path: pkg('actors|broker-config|connector|app|tests') },
    },
    {
      name: 'actors-use-protocol-only',
      comment: 'An actor uses shared/protocol and the actor kit, never the client packages.',
      severity: 'error',
      from: { path: pkg('actors/(?!host)[^/]+') },
      to: { path: pkg('shared/(?!protocol)[^/]+|connector|app|broker-config|tests') },
    },
    {
      name: 'no-actor-imports-another',
      severity: 'error',
      from: { path: '^actors/(?!host/)([^/]+)/' },
      to: { path: '^actors/(?!$1/|kit/)[^/]+/', pathNot: '^actors/kit/' },
    },
    {
      name: 'kit-imports-no-actor',
      severity: 'error',
      from: { path: pkg('actors/kit') },
      to: { path: pkg('actors/(?!kit)[^/]+') },
    },
    {
      name: 'broker-config-on-protocol-only',
      severity: 'error',
      from: { path: pkg('broker-config') },
      to: { path: pkg('shared/(?!protocol)[^/]+|actors|connector|app|tests') },
    },
    {
      name: 'connector-never-imports-actors',
      severity: 'error',
      from: { path: pkg('connector|app') },
      to: { path: pkg('actors|broker-config') },
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
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'] },
  },
};
