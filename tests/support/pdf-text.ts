import { execFile } from 'node:child_process';

/*
 * pdf-parse (pdf.js) loads its worker with a dynamic import, which jest's CommonJS sandbox refuses, so
 * the text is extracted by a plain Node process: the real parser, not a reimplementation.
 */
const SCRIPT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const result = await parser.getText();
  await parser.destroy();
  process.stdout.write(JSON.stringify(result.pages.map((p) => p.text)));
});
`;

/** The text of each page of a PDF, as pdf.js reads it. */
export function pdfPageTexts(pdf: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['-e', SCRIPT],
      { cwd: process.cwd(), maxBuffer: 16 * 1024 * 1024, timeout: 30_000 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as string[])),
    );
    child.stdin!.end(pdf);
  });
}
