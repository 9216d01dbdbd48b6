// Import rules for src/: no cycles, and the layers of the source layout. Run with `npm run lint:deps`;
// `npm run deps` lists the import graph of src/ and checks it for cycles alone (.dependency-cruiser.cycles.cjs).
//
// The layers, lowest first. A module may import only from its own unit or from units in EARLIER layers; units in
// the same layer are siblings and do not import each other. A unit is a folder ('text/') or a top-level file
// ('options.ts'). version.ts is importable from anywhere (and imports nothing of ours).
const LAYERS = [
  ['text/'], // leaf utilities: sanitize, secret, scrub-secrets, host-port, read-file. Imports nothing of ours.
  ['net/', 'knowledge/', 'pipeline/'], // pipeline/ is the generic runner: it imports only text/
  ['config/'],
  ['options.ts'],
  ['facts.ts'], // the run order and the facts stages hand on; its stage types close over DoctorOptions
  ['sdk/', 'explain/'],
  ['stages/'], // each stage is stages/<id>.ts or stages/<id>/; stages/index.ts is the registry
  ['report/'],
  ['diagnosis/'],
  ['render/'],
  ['cli/', 'index.ts'], // index.ts: the library entry
];
const VERSION = 'version.ts';

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The path pattern of a unit: everything under a folder, or exactly one file. */
const unitPath = (unit) => `^src/${escape(unit)}${unit.endsWith('/') ? '' : '$'}`;
const anyOf = (units) => units.map(unitPath).join('|');

const layerRules = LAYERS.flatMap((layer, index) =>
  layer.map((unit) => {
    // text/ imports nothing of ours, not even version.ts.
    const allowed = [unit, ...LAYERS.slice(0, index).flat(), ...(unit === 'text/' ? [] : [VERSION])];
    const earlier = LAYERS.slice(0, index).flat();
    return {
      name: `layer-${unit.replace(/\/$/, '').replace(/\.ts$/, '')}`,
      comment:
        `src/${unit} may import only ` +
        (unit === 'text/'
          ? 'itself: text/ holds the leaf utilities and imports nothing of ours.'
          : `itself, ${VERSION}${earlier.length ? ` and the earlier layers (${earlier.join(', ')})` : ''}.`),
      severity: 'error',
      from: { path: unitPath(unit) },
      to: { path: '^src/', pathNot: anyOf(allowed) },
    };
  })
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere in src/ (type-only imports included).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-in-layout',
      comment:
        'Every module of src/ lives in a unit of the layout (see LAYERS in .dependency-cruiser.cjs) or is version.ts.',
      severity: 'error',
      module: {
        path: '^src/',
        pathNot: anyOf([...LAYERS.flat(), VERSION]),
        // i.e. every such module (the schema caps this at 100; no module here has that many importers): the rule is
        // about where a module is, not what imports it
        numberOfDependentsLessThan: 100,
      },
      from: {},
    },
    ...layerRules,
    {
      name: 'version-is-leaf',
      comment: 'version.ts is importable from anywhere, so it imports nothing of ours.',
      severity: 'error',
      from: { path: unitPath(VERSION) },
      to: { path: '^src/' },
    },
    {
      name: 'no-stage-to-stage',
      comment:
        'A stage (stages/<id>.ts or stages/<id>/) must not import another stage; only stages/index.ts, the ' +
        'registry, imports every stage. Code two stages share belongs in an earlier layer.',
      severity: 'error',
      from: { path: '^src/stages/([^/]+?)(?:\\.ts$|/)', pathNot: '^src/stages/index\\.ts$' },
      to: { path: '^src/stages/', pathNot: '^src/stages/$1(?:\\.ts$|/)' },
    },
    {
      name: 'render-not-low-level',
      comment:
        'render/ formats a report: it must not reach into stages/, sdk/ or net/ (diagnosis/, a later layer, is ' +
        'already forbidden by layer-render).',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/(?:stages|sdk|net)/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve to a file or a package (a typo, or a .js that has no .ts).',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-dev-deps-in-src',
      comment:
        'src/ ships (and so do its .d.ts files): it must not import devDependencies, not even types. The exceptions are inlined into the bundles (scripts/build-cli.mjs, build-standalone.mjs), so an install needs none of them.',
      severity: 'error',
      from: { path: '^src/' },
      to: {
        dependencyTypes: ['npm-dev'],
        pathNot: 'node_modules/(yargs|ora|@temporalio/(client|proto|envconfig)|@grpc/grpc-js)/',
      },
    },
    {
      name: 'bundled-dev-deps-only-in-cli',
      comment:
        'yargs and ora are devDependencies because the CLI bundles inline them (scripts/build-cli.mjs, build-standalone.mjs): only src/cli/ may import them, never the library.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: 'node_modules/(yargs|ora)/' },
    },
    {
      name: 'no-undeclared-deps',
      comment: 'A package src/ imports must be in package.json.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    // Packages are recorded (for the two dependency rules) but not cruised.
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7 has no JS compiler API: swc (a dev dependency) parses the sources, type-only imports included.
    parser: 'swc',
    // Count imports that exist only before compilation (`import type`): a type-only cycle is a cycle too.
    tsPreCompilationDeps: true,
    // Sources import './x.js' (NodeNext style); dependency-cruiser resolves those to './x.ts'.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js'],
      conditionNames: ['import', 'node', 'default'],
    },
  },
};
