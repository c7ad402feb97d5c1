import type restify from 'restify';
import { z } from 'zod';
import { describeError, type Logger } from '../config/logger';

const Token = z
  .string()
  .min(20)
  .max(2048)
  .regex(/^[A-Za-z0-9_.-]+$/);

export interface DocumentRouteDeps {
  readonly download: (
    token: string,
  ) => Promise<
    | { ok: true; value: { fileName: string; body: Buffer } }
    | { ok: false; error: { status: number; code: string; message: string } }
  >;
  readonly logger: Logger;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** By the file's extension: a file sent with the wrong type opens in the wrong application. */
const TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  png: 'image/png',
};

/** GET /api/documents/:token: single-use signed download links (the token is never logged). */
export function registerDocumentRoutes(server: restify.Server, deps: DocumentRouteDeps): void {
  server.get('/api/documents/:token', async (req, res) => {
    const token = Token.safeParse(req.params?.token);
    if (!token.success) {
      res.send(404, { error: 'NOT_FOUND', message: 'This link is not valid.' });
      return;
    }
    try {
      const result = await deps.download(token.data);
      if (!result.ok) {
        res.send(result.error.status, { error: result.error.code, message: result.error.message });
        return;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[result.value.fileName.split('.').pop() ?? ''] ?? DOCX,
        'Content-Disposition': `attachment; filename="${result.value.fileName}"`,
        'Content-Length': result.value.body.length,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(result.value.body);
    } catch (e) {
      deps.logger.error({ error: describeError(e) }, 'document download failed');
      res.send(503, {
        error: 'UNAVAILABLE',
        message: 'The document could not be prepared just now; try again shortly.',
      });
    }
  });
}
