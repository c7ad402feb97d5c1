/**
 * restify 11 (the last line that runs on Node 20) touches process.binding('http_parser') when it
 * loads, which prints DEP0111 on every start. It is harmless and known; dropping just that code keeps
 * start-up errors to the one line operators are promised. Imported before restify.
 */
const original = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
  if (code === 'DEP0111') return;
  (original as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
