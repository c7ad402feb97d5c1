import type restify from 'restify';
import { z } from 'zod';
import { describeError, type Logger } from '../config/logger';
import { checkAdminToken } from './admin-auth';

export interface TransferImportRouteDeps {
  readonly tokenSha256: string;
  /** Verifies and records the package; the status and body to answer with. */
  readonly importPackage: (body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  /** The sending side: verifies a receiving deployment's signed receipt (accepted or declined) and records it. */
  readonly importReceipt: (body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  /** The receiving side: the signed receipt of an answered imported hand-over, to send back. */
  readonly receipt: (transferId: string) => Promise<{ status: number; body: Record<string, unknown> }>;
  readonly logger: Logger;
}

type Answer = { status: number; body: Record<string, unknown> };

/**
 * POST /api/admin/transfers/import: the receiving deployment's `import transfer`. Behind the admin
 * token, like the audit check: the package is signed by the sender, the upload is an admin's act.
 */
export function registerTransferImportRoute(server: restify.Server, deps: TransferImportRouteDeps): void {
  const adminOnly =
    (what: string, run: (req: restify.Request) => Promise<Answer>): restify.RequestHandler =>
    async (req, res) => {
      if (!checkAdminToken(req.header('authorization'), deps.tokenSha256)) {
        res.header('WWW-Authenticate', 'Bearer');
        res.send(401, { error: 'unauthorized', message: 'An admin bearer token is required.' });
        return;
      }
      try {
        const out = await run(req);
        res.send(out.status, out.body);
      } catch (e) {
        deps.logger.error({ error: describeError(e) }, `transfer ${what} failed`);
        res.send(503, {
          error: 'UNAVAILABLE',
          message: `The ${what} could not be handled just now; try again shortly.`,
        });
      }
    };
  server.post(
    '/api/admin/transfers/import',
    adminOnly('import', (req) => deps.importPackage(req.body as unknown)),
  );
  server.post(
    '/api/admin/transfers/receipts',
    adminOnly('receipt import', (req) => deps.importReceipt(req.body as unknown)),
  );
  server.get(
    '/api/admin/transfers/:transferId/receipt',
    adminOnly('receipt', async (req) => {
      const id = TransferId.safeParse(req.params?.transferId);
      if (!id.success)
        return { status: 400, body: { error: 'VALIDATION_FAILED', message: 'The transfer id is not valid.' } };
      return deps.receipt(id.data);
    }),
  );
}

const TransferId = z.string().trim().min(1).max(128);
