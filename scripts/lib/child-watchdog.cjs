'use strict';
// Preloaded (NODE_OPTIONS=--require) into processes the e2e tests start: the Agents Playground and the bot.
// 1. Some of them call server.listen(port) with no host, i.e. all interfaces; pin every listening
//    socket in the process to the loopback interface.
// 2. Stop by itself: exit after WATCHDOG_TTL_MS, or as soon as WATCHDOG_PARENT_PID (the test runner)
//    has gone, so nothing outlives a crashed or interrupted test run.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload
const net = require('node:net');

const HOST = '127.0.0.1';
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, HOST);
  } else if (first && typeof first === 'object' && !Array.isArray(first) && 'port' in first) {
    args[0] = { ...first, host: HOST };
  } else if (first === undefined || typeof first === 'function') {
    args.splice(0, first === undefined ? 1 : 0, 0, HOST);
  }
  return originalListen.apply(this, args);
};

const ttlMs = Number(process.env.WATCHDOG_TTL_MS || 15 * 60 * 1000);
setTimeout(() => process.exit(0), ttlMs).unref();

const parentPid = Number(process.env.WATCHDOG_PARENT_PID || process.ppid);
setInterval(() => {
  try {
    process.kill(parentPid, 0);
  } catch {
    process.exit(0);
  }
}, 2000).unref();
