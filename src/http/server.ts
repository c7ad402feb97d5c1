import './restify-compat';
import restify from 'restify';
import type { ChainVerification } from '../app/ports/audit-log.port';
import type { Logger } from '../config/logger';
import { checkAdminToken } from './admin-auth';

export interface HttpDeps {
  /** The Bot Framework endpoint, built in src/bot so the SDK stays in that folder. */
  readonly handleMessages: (req: restify.Request, res: restify.Response) => Promise<void>;
  readonly logger: Logger;
  readonly dbReady: () => Promise<boolean>;
  /** Further routes (e.g. the intake API), registered after body parsing and the drain guard. */
  readonly registerRoutes?: (server: restify.Server) => void;
  /** Absent when no admin token is configured: the endpoint then does not exist. */
  readonly auditVerify?: { readonly tokenSha256: string; readonly verify: () => Promise<ChainVerification> };
}

export interface HttpServer {
  readonly server: restify.Server;
  listen(port: number, host: string): Promise<{ port: number }>;
  /** Stops accepting connections, then waits for in-flight requests (turns) up to the grace period. */
  drain(graceMs: number): Promise<boolean>;
}

export function createHttpServer(deps: HttpDeps): HttpServer {
  // Signed document links are longer than the router's default 100-character parameter limit.
  const server = restify.createServer({ name: 'mappa-bot', handleUncaughtExceptions: false, maxParamLength: 2048 });
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  let inFlight = 0;
  let draining = false;
  const idleWaiters: Array<() => void> = [];
  server.pre((_req, res, next) => {
    if (draining) {
      res.header('Connection', 'close');
      res.send(503, { error: 'shutting_down' });
      return next(false);
    }
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) idleWaiters.splice(0).forEach((w) => w());
    });
    return next();
  });

  server.post('/api/messages', async (req, res) => {
    await deps.handleMessages(req, res);
  });

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req, res) => {
    const ok = await deps.dbReady();
    res.send(ok ? 200 : 503, { status: ok ? 'ready' : 'database_unreachable' });
  });

  deps.registerRoutes?.(server);

  const auditVerify = deps.auditVerify;
  if (auditVerify) {
    server.get('/api/audit/verify', async (req, res) => {
      if (!checkAdminToken(req.header('authorization'), auditVerify.tokenSha256)) {
        res.header('WWW-Authenticate', 'Bearer');
        res.send(401, { error: 'unauthorized', message: 'An admin bearer token is required.' });
        return;
      }
      try {
        const result = await auditVerify.verify();
        res.send(200, result);
      } catch {
        res.send(503, {
          error: 'database_unavailable',
          message: 'The audit trail could not be read; try again shortly.',
        });
      }
    });
  }

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          const addr = server.address();
          resolve({ port: addr.port });
        });
      }),
    drain: (graceMs) =>
      new Promise((resolve) => {
        draining = true;
        server.server.close();
        // Keep-alive sockets would hold close() open; idle ones can go now.
        (server.server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        if (inFlight === 0) return resolve(true);
        const timer = setTimeout(() => resolve(false), graceMs);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      }),
  };
}
