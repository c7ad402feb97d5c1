import { z } from 'zod';
import {
  answerInformationRequest,
  decideReferral,
  referralSummary,
  referralSummaryForChannel,
  requestMoreInformation,
  type ReferralDeps,
  type ReferralError,
  type ReferralSummary,
} from '../../app/referrals';
import { Id } from '../../domain/common.schema';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import { appError } from '../../lib/errors';
import { can, type Principal, type PolicyAction } from '../../domain/policy';
import { coordinatorUserIds } from './coordinators';
import { renderCard, type AdaptiveCardJson, type CardData } from '../cards/render';
import type { HandlerContext } from '../mappa.bot';

/**
 * Action.Execute verbs of the referral cards, each with the policy action that guards it. The router
 * checks the role; the use cases check the referral itself (area, status, who referred it).
 */
export const REFERRAL_VERBS = {
  'referral.approve': 'referral.decide',
  'referral.reject': 'referral.decide',
  'referral.requestInfo': 'referral.decide',
  'referral.export': 'referral.decide',
  'referral.answerInfo': 'referral.answerQuestion',
  // Anyone enrolled may refresh; only co-ordinators get the detailed card back.
  'referral.refresh': 'help.show',
} as const satisfies Record<string, PolicyAction>;
export type ReferralVerb = keyof typeof REFERRAL_VERBS;

export function isReferralVerb(v: string): v is ReferralVerb {
  return Object.prototype.hasOwnProperty.call(REFERRAL_VERBS, v);
}

/** What the referral cards need beyond the use cases: ways out of the bot that the lead wires. */
export interface ReferralHandlerDeps extends ReferralDeps {
  /** A short-lived download link for the MAPPA A, or null when exporting is not set up. */
  readonly exportLink?: (referralId: string, reader: Principal) => Promise<string | null>;
  /** Posts the question card to the referrer's personal chat. */
  readonly notifyReferrer?: (referrerAadObjectId: string, card: AdaptiveCardJson) => Promise<void>;
}

/** A HandlerContext whose BotDeps carry the referral dependencies (`BotDeps.referrals`). */
export type ReferralHandlerContext = HandlerContext & { readonly deps: { readonly referrals: ReferralHandlerDeps } };

const Payload = z.object({ referralId: Id }).loose();
const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 4000) : '');
const EMPTY = { noteL2: '', noteL3: '', reason: '', question: '', identity: '' };

const ukDate = (iso: string | null) => (iso ? formatUkDate(iso) : 'Not submitted');
const ukDateTime = formatUkDateTime;

export interface DecisionCardExtras {
  readonly formError?: string;
  readonly values?: Partial<typeof EMPTY>;
  readonly errors?: Partial<typeof EMPTY>;
  readonly advice?: string;
  readonly firstMeetingDue?: string | null;
  readonly exportUrl?: string;
  /** The version everyone in the channel sees: no question or answer text, no rationale. */
  readonly forChannel?: boolean;
  readonly refreshUserIds?: readonly string[];
}

function identityWarning(check: NonNullable<ReferralSummary['identityCheck']>): string {
  return check.reason === 'identifier_conflict'
    ? 'A reference number in this referral belongs to a record with a different name or date of birth. Nothing has been linked: check the records, then choose the case before approving. The referrer has not been told of any match.'
    : 'This person already has a case that cannot take a referral just now, and the referrer cannot see it. Choose the case before approving, or reject the referral. The referrer has not been told of it.';
}

/** The co-ordinator card's data: the open state with buttons, or the decided state without. */
export function decisionCardData(s: ReferralSummary, extras: DecisionCardExtras = {}): CardData<'referral-decision'> {
  const d = s.decision;
  const days = s.daysLeft;
  const deadlineText =
    s.decisionDue === null
      ? 'Not applicable'
      : `${ukDate(s.decisionDue)} (${days === null ? '' : days >= 0 ? `${days} working day${days === 1 ? '' : 's'} left` : `${-days} working days overdue`})`;
  const decisionText = d
    ? d.outcome === 'accepted'
      ? `Approved at Level ${d.level}${extras.firstMeetingDue ? `: first meeting due by ${ukDate(extras.firstMeetingDue)}` : ''}`
      : 'Rejected'
    : '';
  const questions = extras.forChannel
    ? s.questions.map((q, i) => ({
        question: `Question ${i + 1}`,
        answer: q.answer === null ? 'Awaiting an answer' : 'Answered: the co-ordinator sees it on this card',
      }))
    : s.questions.map((q) => ({ question: q.question, answer: q.answer ?? 'Awaiting an answer' }));
  return {
    refreshUserIds: [...(extras.refreshUserIds ?? [])].slice(0, 60),
    title: d ? 'MAPPA A referral decided' : 'MAPPA A referral for a decision',
    referralId: s.referralId,
    caseRef: s.caseRef ?? 'No case yet',
    initials: s.initials,
    categoryLabel: s.categoryLabel,
    levelRequested: s.levelRequested,
    referrerName: s.referrerName,
    referrerAgency: s.referrerAgency,
    submittedOn: ukDate(s.submittedOn),
    deadlineText: d ? 'Decided' : deadlineText,
    deadlineWarning: !d && days !== null && days <= 2 ? 'The decision deadline is close or has passed.' : '',
    advisoryNotes: s.advisoryNotes.map((t) => ({ text: t })),
    questions,
    decided: d !== null,
    decisionText,
    decidedBy: d?.decidedBy ?? '',
    decidedAt: d ? ukDateTime(d.decidedAt) : '',
    rationale: extras.forChannel ? '' : (d?.rationale ?? ''),
    advice: extras.advice ?? '',
    formError: extras.formError ?? '',
    exportUrl: extras.exportUrl ?? '',
    identityWarning: extras.forChannel || !s.identityCheck ? '' : identityWarning(s.identityCheck),
    identityChoices:
      extras.forChannel || !s.identityCheck
        ? []
        : [
            ...s.identityCheck.candidates.map((c) => ({
              title: `The same person as ${c.ref} (${c.status}, led by ${c.leadAgency})`,
              value: c.caseId,
            })),
            { title: 'A different person: open a new case', value: 'new' },
          ],
    values: { ...EMPTY, ...extras.values },
    errors: { ...EMPTY, ...extras.errors },
  };
}

/** The co-ordinator channel card, for posting when a referral is submitted. */
export function renderReferralDecisionCard(
  summary: ReferralSummary,
  marking: string,
  extras?: DecisionCardExtras,
): AdaptiveCardJson {
  return renderCard('referral-decision', decisionCardData(summary, extras), marking);
}

/** The question card for the referrer's personal chat. */
export function renderReferralQuestionCard(
  summary: ReferralSummary,
  question: { question: string; askedBy: string; answer?: string },
  marking: string,
  formError = '',
): AdaptiveCardJson {
  return renderCard(
    'referral-question',
    {
      referralId: summary.referralId,
      caseRef: summary.caseRef ?? 'No case yet',
      initials: summary.initials,
      askedBy: question.askedBy,
      question: question.question,
      answer: question.answer ?? '',
      answered: question.answer !== undefined && formError === '',
      formError,
    },
    marking,
  );
}

function fieldErrorsOf(e: ReferralError): Partial<typeof EMPTY> {
  if (!('fieldErrors' in e)) return {};
  return Object.fromEntries(
    Object.entries(e.fieldErrors).filter(([k, v]) => k in EMPTY && typeof v === 'string'),
  ) as Partial<typeof EMPTY>;
}

/**
 * What a referral card action leads to: the card to show in place of the clicked one, and whether the
 * referral itself changed. Only a change reaches other people's copies (the channel card); a refused
 * or repeated action has no effect beyond the clicker's card.
 */
export interface ReferralCardOutcome {
  readonly card: AdaptiveCardJson;
  readonly changed: boolean;
}

/**
 * Handles a referral card action: the decided state, the same card with a message (the co-ordinator's
 * typing kept), or a notice when the referral is gone.
 */
export async function referralCardAction(
  h: ReferralHandlerContext,
  verb: ReferralVerb,
  data: Record<string, unknown>,
): Promise<ReferralCardOutcome> {
  const deps = h.deps.referrals;
  const unchanged = (card: AdaptiveCardJson): ReferralCardOutcome => ({ card, changed: false });
  const changed = (card: AdaptiveCardJson): ReferralCardOutcome => ({ card, changed: true });
  const notice = (title: string, message: string) => unchanged(h.card('notice', { title, message, facts: [] }));
  const payload = Payload.safeParse(data);
  if (!payload.success) return notice('That card is out of date', 'Please use the latest card.');
  const id = payload.data.referralId;
  const values = {
    noteL2: text(data.noteL2),
    noteL3: text(data.noteL3),
    reason: text(data.reason),
    question: text(data.question),
    identity: text(data.identity).slice(0, 64),
  };
  const sameCardWith = async (e: ReferralError, extras: DecisionCardExtras = {}): Promise<ReferralCardOutcome> => {
    const s = await referralSummary(deps, h.principal, id);
    if (!s.ok) return notice('Referral not available', e.message);
    return unchanged(
      h.card(
        'referral-decision',
        decisionCardData(s.value, { formError: e.message, values, errors: fieldErrorsOf(e), ...extras }),
      ),
    );
  };

  switch (verb) {
    case 'referral.refresh': {
      const full = can(h.principal, 'referral.decide').allowed;
      const s = full ? await referralSummary(deps, h.principal, id) : await referralSummaryForChannel(deps, id);
      if (!s.ok) return notice('Referral not available', s.error.message);
      const refreshUserIds = await coordinatorUserIds(
        h.deps.members.members,
        h.deps.conversations,
        deps.areaId,
        h.principal.tenantId,
      );
      return unchanged(h.card('referral-decision', decisionCardData(s.value, { refreshUserIds, forChannel: !full })));
    }
    case 'referral.approve':
    case 'referral.reject': {
      const level = Number(data.level);
      if (verb === 'referral.approve' && level !== 2 && level !== 3) {
        // Only a forged or damaged card gets here; say so in words rather than in schema text.
        return sameCardWith({ ...appError('VALIDATION_FAILED', 'Approve at Level 2 or Level 3.'), fieldErrors: {} });
      }
      const input =
        verb === 'referral.approve'
          ? {
              outcome: 'approve',
              level,
              note: level === 3 ? values.noteL3 : values.noteL2,
              ...(values.identity ? { identity: values.identity } : {}),
            }
          : { outcome: 'reject', reason: values.reason };
      const res = await decideReferral(deps, h.principal, id, input);
      if (!res.ok) return sameCardWith(res.error);
      const referrer = res.value.summary.referrerAadObjectId;
      if (!res.value.alreadyDecided && referrer && deps.notifyReferrer) {
        // The referrer hears the outcome in personal chat; a failed message must not undo the decision.
        const s = res.value.summary;
        const approved = s.decision?.outcome === 'accepted';
        await deps
          .notifyReferrer(
            referrer,
            h.card('notice', {
              title: approved
                ? `Referral accepted: ${s.caseRef ?? ''}`.trim()
                : `Referral not accepted: ${s.caseRef ?? ''}`.trim(),
              message: approved
                ? `The co-ordinator accepted your referral for Level ${s.decision?.level ?? ''} management.${
                    res.value.firstMeetingDue
                      ? ` The first meeting is due by ${ukDate(res.value.firstMeetingDue)}.`
                      : ''
                  }`
                : `Reason: ${s.decision?.rationale ?? ''}${res.value.advice ? `\n\n${res.value.advice}` : ''}`,
              facts: [{ title: 'Decided by', value: s.decision?.decidedBy ?? '' }],
            }),
          )
          .catch(() => undefined);
      }
      const card = h.card(
        'referral-decision',
        decisionCardData(res.value.summary, {
          advice: [
            res.value.alreadyDecided ? 'This referral had already been decided; nothing was changed.' : '',
            res.value.advice ?? '',
          ]
            .filter(Boolean)
            .join(' '),
          firstMeetingDue: res.value.firstMeetingDue,
        }),
      );
      return res.value.alreadyDecided ? unchanged(card) : changed(card);
    }
    case 'referral.requestInfo': {
      const res = await requestMoreInformation(deps, h.principal, id, values.question);
      if (!res.ok) return sameCardWith(res.error);
      if (res.value.referrerAadObjectId && deps.notifyReferrer) {
        await deps.notifyReferrer(
          res.value.referrerAadObjectId,
          renderReferralQuestionCard(
            res.value.summary,
            { question: res.value.question.question, askedBy: res.value.question.askedBy.displayName },
            h.deps.protectiveMarking,
          ),
        );
      }
      return changed(
        h.card(
          'referral-decision',
          decisionCardData(res.value.summary, { formError: 'Question sent to the referrer.' }),
        ),
      );
    }
    case 'referral.export': {
      const s = await referralSummary(deps, h.principal, id);
      if (!s.ok) return notice('Referral not available', s.error.message);
      const url = deps.exportLink ? await deps.exportLink(id, h.principal) : null;
      return unchanged(
        h.card(
          'referral-decision',
          decisionCardData(
            s.value,
            url ? { exportUrl: url } : { formError: 'Exporting the MAPPA A is not available yet.' },
          ),
        ),
      );
    }
    case 'referral.answerInfo': {
      const answer = text(data.answer);
      const res = await answerInformationRequest(deps, h.principal, id, answer);
      if (!res.ok) {
        const s = await referralSummary(deps, h.principal, id);
        const open = s.ok ? s.value.questions.find((q) => q.answer === null) : undefined;
        if (!s.ok || !open) return notice('Nothing to answer', res.error.message);
        return unchanged(
          renderReferralQuestionCard(
            s.value,
            { question: open.question, askedBy: 'the co-ordinator', answer },
            h.deps.protectiveMarking,
            res.error.message,
          ),
        );
      }
      return changed(
        renderReferralQuestionCard(
          res.value.summary,
          {
            question: res.value.question.question,
            askedBy: res.value.question.askedBy.displayName,
            answer: answer.trim(),
          },
          h.deps.protectiveMarking,
        ),
      );
    }
  }
}
