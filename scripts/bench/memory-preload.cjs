// Preloaded by scripts/bench/memory.ts: on SIGUSR2, prints how many modules are loaded and from which packages.
'use strict';
process.on('SIGUSR2', () => {
  const files = Object.keys(require.cache);
  const packages = new Set();
  for (const f of files) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.slice(f.lastIndexOf('node_modules/')));
    if (m) packages.add(m[1]);
  }
  process.stdout.write(`${JSON.stringify({ modules: files.length, packages: [...packages].sort() })}\n`);
});
