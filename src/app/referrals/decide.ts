import { z } from 'zod';
import { deadlineForArea, type Area } from '../../domain/area.schema';
import type { Case } from '../../domain/case.schema';
import { transition } from '../../domain/case-lifecycle';
import type { Level } from '../../domain/common.schema';
import type { IsoDate } from '../../domain/dates';
import { checkRequestedLevel } from '../../domain/levels';
import type { Principal } from '../../domain/policy';
import type { Referral, ReferralDecision } from '../../domain/referral.schema';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { saveCase } from './case-link';
import { resolveIdentity } from './resolve-identity';
import {
  authorise,
  loadArea,
  loadAreaReferral,
  ukDay,
  validation,
  type ReferralDeps,
  type ReferralError,
} from './shared';
import { summarise, type ReferralSummary } from './summary';

export const DecideReferralInput = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('approve'),
    level: z.coerce.number().pipe(z.literal([2, 3], { error: 'Approve at Level 2 or Level 3.' })),
    note: z.string().trim().max(4000, 'Keep the note under 4,000 characters.').default(''),
    /** Only for a referral awaiting an identity check: a candidate case id, or 'new' for a new person. */
    identity: z.string().trim().max(64).optional(),
  }),
  z.object({
    outcome: z.literal('reject'),
    reason: z
      .string({ error: 'Give a reason for rejecting the referral.' })
      .trim()
      .min(1, 'Give a reason for rejecting the referral.')
      .max(4000, 'Keep the reason under 4,000 characters.'),
  }),
]);
export type DecideReferralInput = z.input<typeof DecideReferralInput>;

export interface DecidedReferral {
  readonly referral: Referral;
  readonly decision: ReferralDecision;
  /** True when someone (or an earlier click) had already decided: nothing was changed. */
  readonly alreadyDecided: boolean;
  /** Last day for the first Level 2/3 meeting under the area's policy, on approval. */
  readonly firstMeetingDue: IsoDate | null;
  /** For a rejection: what the lead agency should do instead. */
  readonly advice: string | null;
  readonly summary: ReferralSummary;
}

export const LEVEL_1_ADVICE =
  'Manage at Level 1 with multi-agency information sharing through the lead agency; refer again if the risk or the plan changes.';
const CAT3_DECLINED_ADVICE =
  'Category 3 cases cannot be managed at Level 1: if Level 2 is not needed the person does not meet Category 3. Review the category with the lead agency.';

/** The first Level 2/3 meeting's last day on approval; null on rejection, Level 1 or no area rule. */
export function firstMeetingDue(area: Area, referral: Referral, decision: ReferralDecision): IsoDate | null {
  if (decision.outcome !== 'accepted' || decision.level === 1) return null;
  // Level 3's clock runs from the referral; Level 2's from the co-ordinator's acceptance (SCO national text).
  const from = decision.level === 3 && referral.submittedAt ? ukDay(referral.submittedAt) : ukDay(decision.decidedAt);
  return deadlineForArea(area, decision.level === 2 ? 'firstLevel2Meeting' : 'firstLevel3Meeting', from)?.due ?? null;
}

function adviceFor(referral: Referral, decision: ReferralDecision): string | null {
  if (decision.outcome !== 'declined') return null;
  return referral.sections.category?.category === 'cat3' ? CAT3_DECLINED_ADVICE : LEVEL_1_ADVICE;
}

/**
 * The co-ordinator approves at Level 2 or 3, or rejects with a reason. Idempotent: once decided, a
 * repeat (a double click, a second co-ordinator) returns the recorded decision with
 * `alreadyDecided: true`. The level decision is recorded on the case through the domain state machine,
 * with the rationale, and approval gives the first meeting's due date for the area's jurisdiction.
 */
export async function decideReferral(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  rawDecision: unknown,
): Promise<Result<DecidedReferral, ReferralError>> {
  const actor = authorise(principal, 'referral.decide', 'Only the MAPPA co-ordinator can decide referrals.');
  if (!actor.ok) return actor;
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  const area = await loadArea(deps);
  const already = async (r: Referral): Promise<Result<DecidedReferral, ReferralError>> =>
    ok({
      referral: r,
      decision: r.decision!,
      alreadyDecided: true,
      firstMeetingDue: firstMeetingDue(area, r, r.decision!),
      advice: adviceFor(r, r.decision!),
      summary: await summarise(deps, r, area),
    });
  let referral = loaded.value;
  if (referral.decision) return already(referral);
  if (referral.status !== 'submitted')
    return err(appError('ILLEGAL_TRANSITION', `The referral is ${referral.status}, so it cannot be decided.`));

  const parsed = DecideReferralInput.safeParse(rawDecision);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'decision');
    return err(validation(field, issue.message));
  }
  const input = parsed.data;
  const s = referral.sections;
  const now = deps.clock.now().toISOString();
  let level: Level;
  let rationale: string;
  if (input.outcome === 'approve') {
    level = input.level;
    const check = s.reason?.levelFacts
      ? checkRequestedLevel(s.category?.category ?? null, level, s.reason.levelFacts, area.jurisdiction)
      : null;
    if (check?.ok) {
      rationale = [input.note, `Level ${level} test met: ${check.value.reasons.join('; ')}.`].filter(Boolean).join(' ');
    } else if (input.note !== '') {
      rationale = input.note;
    } else {
      const why = check && !check.ok ? check.error.failures.map((f) => f.message).join(' ') : '';
      return err(
        validation(
          `noteL${level}`,
          `The stated facts do not meet the Level ${level} test. ${why} Add a note saying why Level ${level} is needed.`.replace(
            /\s+/g,
            ' ',
          ),
        ),
      );
    }
  } else {
    rationale = input.reason;
    level = 1;
  }

  if (input.outcome === 'approve' && referral.identityCheck) {
    const resolved = await resolveIdentity(deps, actor.value, referral, referral.identityCheck, area, input.identity);
    if (!resolved.ok) return resolved;
    referral = resolved.value;
  }

  const caseId = referral.caseId;
  const current = caseId ? await deps.cases.get(caseId) : null;
  const c = current?.ok ? current.value : null;
  if (input.outcome === 'reject') level = c?.level ?? 1;
  const decision: ReferralDecision = {
    outcome: input.outcome === 'approve' ? 'accepted' : 'declined',
    level,
    rationale,
    decidedBy: { aadObjectId: actor.value.aadObjectId, displayName: actor.value.displayName },
    decidedAt: now,
  };
  const caseStep = (k: Case): Result<Case, AppError> => {
    if (k.status !== 'referral_pending' || k.pendingReferralId !== referral.id) return ok(k);
    // A declined Category 3 referral has no lawful level to record, so it only releases the case.
    if (decision.outcome === 'declined' && k.category === 'cat3' && k.level === null)
      return transition(k, { type: 'REFERRAL_WITHDRAWN', referralId: referral.id });
    return transition(k, {
      type: 'LEVEL_DECIDED',
      decision: {
        id: `${referral.id}:decision`,
        kind: 'level',
        to: decision.outcome === 'declined' ? (k.level ?? 1) : level,
        actor: decision.decidedBy,
        decidedAt: now,
        rationale,
        source: { type: 'referral', id: referral.id },
      },
    });
  };
  if (c) {
    const pre = caseStep(c);
    if (!pre.ok) return err(appError('ILLEGAL_TRANSITION', pre.error.message, { status: c.status }));
  }

  const decided = await deps.referrals.decide(referral.id, decision, { by: actor.value });
  if (!decided.ok) {
    if (decided.error.code === 'ALREADY_DECIDED') {
      const again = await deps.referrals.get(referral.id);
      if (again.ok && again.value.decision) return already(again.value);
    }
    return err(
      decided.error.code === 'ALREADY_DECIDED' ? appError('ILLEGAL_TRANSITION', decided.error.message) : decided.error,
    );
  }
  referral = decided.value;
  if (caseId) await saveCase(deps, actor.value, caseId, caseStep, 'case.decision_recorded');
  return ok({
    referral,
    decision,
    alreadyDecided: false,
    firstMeetingDue: firstMeetingDue(area, referral, decision),
    advice: adviceFor(referral, decision),
    summary: await summarise(deps, referral, area),
  });
}
