import type { ReferralError, ReferralSummary } from '../../app/referrals';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import type { CardData } from '../cards/render';

/** The decision card's inputs, kept as typed when an action is refused. */
export const EMPTY = { noteL2: '', noteL3: '', reason: '', question: '', identity: '' };
export const ukDate = (iso: string | null) => (iso ? formatUkDate(iso) : 'Not submitted');
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

/** A refusal's messages that belong beside one of the card's inputs. */
export function fieldErrorsOf(e: ReferralError): Partial<typeof EMPTY> {
  if (!('fieldErrors' in e)) return {};
  return Object.fromEntries(
    Object.entries(e.fieldErrors).filter(([k, v]) => k in EMPTY && typeof v === 'string'),
  ) as Partial<typeof EMPTY>;
}
