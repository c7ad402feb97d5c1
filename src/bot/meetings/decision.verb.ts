import { meetingProgress, recordDecision } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { runStep } from './outcome';

/** "Agency name: view" lines as the chair typed them, with each agency named by its id for the record. */
function dissentByAgency(typed: unknown, names: Readonly<Record<string, string>>): unknown {
  if (typeof typed !== 'string') return typed;
  const byName = new Map(Object.entries(names).map(([id, name]) => [name.toLowerCase(), id]));
  return typed
    .split('\n')
    .map((line) => {
      const at = line.indexOf(':');
      if (at < 0) return line;
      const who = line.slice(0, at).trim();
      return `${byName.get(who.toLowerCase()) ?? who}:${line.slice(at + 1)}`;
    })
    .join('\n');
}

/** The chair records the decision, disclosure, dissent and the next review date. */
export const decisionVerb: ExecuteHandler<MeetingFormPayload> = (h, p) =>
  runStep(h, p, 'decision', 'Decision recorded.', async () => {
    const deps = h.deps.meetings.run;
    const progress = await meetingProgress(deps, p.meetingId);
    const form = { ...p.form, dissent: dissentByAgency(p.form.dissent, progress?.agencyNames ?? {}) };
    return recordDecision(deps, h.principal, p.meetingId, form);
  });
