import type { z } from 'zod';
import { eraseCase } from '../../app/retention';
import type { ExecuteHandler } from '../capability';
import type { ErasePayload } from './catalogue';

/** The confirmation card submitted: the erasure, or the same card with the reason it was refused. */
export const eraseVerb: ExecuteHandler<z.output<typeof ErasePayload>> = async (h, input) => {
  const force = input.forceReason.trim() ? { force: { reason: input.forceReason.trim() } } : {};
  const res = await eraseCase(h.deps.retention, h.principal, input.caseRef, input.confirmation, force);
  if (!res.ok) {
    return h.card('erase-confirm', {
      caseRef: input.caseRef,
      formError: res.error.message,
      values: { confirmation: input.confirmation, forceReason: input.forceReason },
    });
  }
  const s = res.value;
  return h.card('notice', {
    title: `Personal data erased from ${s.caseRef}`,
    message: s.resumed
      ? 'An interrupted erasure has been completed.'
      : 'The erasure is complete and recorded in the audit trail.',
    facts: [
      { title: 'Records erased', value: String(s.total) },
      { title: 'Subject record', value: s.subjectKept ? 'kept (they have another open case)' : 'erased' },
      { title: 'Erased by', value: h.principal.member?.displayName ?? 'admin' },
    ],
  });
};
