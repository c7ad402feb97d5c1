import type restify from 'restify';
import { describeError, type Logger } from '../config/logger';
import { checkAdminToken } from './admin-auth';

export interface TransferImportRouteDeps {
  readonly tokenSha256: string;
  /** Verifies and records the package; the status and body to answer with. */
  readonly importPackage: (body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  readonly logger: Logger;
}

/**
 * POST /api/admin/transfers/import: the receiving deployment's `import transfer`. Behind the admin
 * token, like the audit check: the package is signed by the sender, the upload is an admin's act.
 */
export function registerTransferImportRoute(server: restify.Server, deps: TransferImportRouteDeps): void {
  server.post('/api/admin/transfers/import', async (req, res) => {
    if (!checkAdminToken(req.header('authorization'), deps.tokenSha256)) {
      res.header('WWW-Authenticate', 'Bearer');
      res.send(401, { error: 'unauthorized', message: 'An admin bearer token is required.' });
      return;
    }
    try {
      const out = await deps.importPackage(req.body as unknown);
      res.send(out.status, out.body);
    } catch (e) {
      deps.logger.error({ error: describeError(e) }, 'transfer import failed');
      res.send(503, {
        error: 'UNAVAILABLE',
        message: 'The package could not be recorded just now; try again shortly.',
      });
    }
  });
}
