/*
 * Layer rules, checked by `npm run lint` (and so by CI); tests/unit/layers.test.ts proves they bite.
 *
 * Why dependency-cruiser rather than ESLint: it checks the resolved module graph, so one rule per
 * layer covers every import however it is spelled (relative path, `import type`, `node:` or bare
 * builtin, a JSON card), it finds cycles, and rules are written as allow-lists by folder. ESLint's
 * `no-restricted-imports` matches import strings file by file, and in a flat config a later block
 * for the same files replaces an earlier block's options instead of adding to them, which is how
 * the old rules silently stopped applying.
 *
 * Rules name folders (`^src/app/`), never files, so they hold when files move between capability
 * folders. Dependencies point inward: http | bot | scheduler | store | documents | graph → app →
 * domain → lib, with src/main.ts the only place that wires concrete adapters together.
 */

/* Pure libraries the inner layers may use. Add one here deliberately; an SDK or I/O library never. */
const PURE_PACKAGES = ['zod', 'date-holidays'];
/*
 * The archived Bot Framework SDK: kept inside src/bot so a move to its successor touches one folder.
 * Package paths match anywhere, not only at the start, so a linked or nested node_modules counts too.
 */
const BOT_SDK = '(^|/)node_modules/(botbuilder[^/]*|botframework-[^/]*|adaptive-expressions)/';
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'inner-layers-no-node-builtins',
      comment: 'src/domain, src/lib and src/app do no I/O: no node: modules (fs, crypto, child_process, ...).',
      severity: 'error',
      from: { path: '^src/(domain|lib|app)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'inner-layers-only-pure-packages',
      comment: `src/domain, src/lib and src/app use no SDK or I/O package (mongodb, botbuilder, restify, pino, docx, jose, ...); only ${PURE_PACKAGES.join(', ')}.`,
      severity: 'error',
      from: { path: '^src/(domain|lib|app)/' },
      to: { dependencyTypes: NPM, pathNot: `(^|/)node_modules/(${PURE_PACKAGES.join('|')})/` },
    },
    {
      name: 'lib-imports-nothing-local',
      comment: 'src/lib is the floor: dependency-free helpers that everything else may use.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { dependencyTypes: ['local'], pathNot: '^src/lib/' },
    },
    {
      name: 'domain-imports-only-domain-and-lib',
      comment: 'MAPPA rules stay pure: src/domain imports src/domain and src/lib only.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['local'], pathNot: '^src/(domain|lib)/' },
    },
    {
      name: 'app-imports-only-app-domain-and-lib',
      comment:
        'Use cases reach store, bot, http, config, documents, graph and scheduler only through ports in src/app, wired in src/main.ts.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { dependencyTypes: ['local'], pathNot: '^src/(app|domain|lib)/' },
    },
    {
      name: 'bot-sdk-only-in-bot',
      comment: 'botbuilder, botframework-* and adaptive-expressions are imported only under src/bot.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/bot/' },
      to: { path: BOT_SDK },
    },
    {
      name: 'adapters-do-not-import-entry-points',
      comment:
        'Secondary adapters (store, documents, graph) implement ports; they never reach the bot, http or scheduler that call them.',
      severity: 'error',
      from: { path: '^src/(store|documents|graph)/' },
      to: { path: '^src/(bot|http|scheduler)/' },
    },
    {
      // Today http imports app (use cases, port types), domain, lib and config (the Logger type);
      // repositories and the bot adapter reach it as functions that src/main.ts wires.
      name: 'http-imports-only-app-domain-lib-config',
      comment: 'src/http gets repositories, the bot adapter and documents from src/main.ts, never by import.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { dependencyTypes: ['local'], pathNot: '^src/(http|app|domain|lib|config)/' },
    },
    {
      name: 'telemetry-sdk-only-in-its-module',
      comment:
        'Code uses the stable @opentelemetry/api; the SDK and the Azure Monitor distro are loaded by src/telemetry/azure-monitor.ts alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/telemetry/azure-monitor\\.ts$' },
      to: { path: '(^|/)node_modules/(@azure/monitor-opentelemetry[^/]*|@opentelemetry/(?!api/)[^/]+)/' },
    },
    {
      name: 'telemetry-imports-only-lib',
      comment: 'src/telemetry is a leaf that bot, store, graph and main call: it reaches nothing of theirs.',
      severity: 'error',
      from: { path: '^src/telemetry/' },
      to: { dependencyTypes: ['local'], pathNot: '^src/(telemetry|lib)/' },
    },
    {
      name: 'main-is-the-root',
      comment: 'src/main.ts is the composition root: nothing in src imports it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and hides which module owns what.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a domain type that names a mongodb type ties the domain to the driver.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
