import type { ReferralError, ReferralSummary } from '../../app/referrals';
import { formatUkDate } from '../../domain/format';
import type { CardData } from '../cards/render';

/** The decision card's inputs, kept as typed when an action is refused. */
export const EMPTY = { noteL2: '', noteL3: '', reason: '', question: '', identity: '' };
export const ukDate = (iso: string | null) => (iso ? formatUkDate(iso) : 'Not submitted');

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

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The one line a co-ordinator reads first: what is due by when, or who decided what and when. */
function statusLine(s: ReferralSummary): { text: string; urgent: boolean } {
  const d = s.decision;
  if (d) {
    const what = d.outcome === 'accepted' ? `Approved at Level ${d.level}` : 'Rejected';
    return { text: `${what} by ${d.decidedBy}, ${formatUkDate(d.decidedAt)}`, urgent: false };
  }
  if (s.decisionDue === null) return { text: 'No decision deadline applies', urgent: false };
  const days = s.daysLeft;
  const left =
    days === null
      ? ''
      : days >= 0
        ? ` · ${plural(days, 'working day')} left`
        : ` · ${plural(-days, 'working day')} overdue`;
  return { text: `Decide by ${ukDate(s.decisionDue)}${left}`, urgent: days !== null && days <= 2 };
}

/**
 * The co-ordinator card's data: the open state with buttons, or the decided state without (Export
 * stays). The channel's copy (`forChannel`) leaves out everything personal and every free text: the
 * level test, RoSH, the referrer's reasons, questions and answers, the rationale.
 */
export function decisionCardData(s: ReferralSummary, extras: DecisionCardExtras = {}): CardData<'referral-decision'> {
  const d = s.decision;
  const status = statusLine(s);
  const questions = extras.forChannel
    ? s.questions.map((q, i) => ({
        question: `Question ${i + 1}`,
        answer: q.answer === null ? 'Awaiting an answer' : 'Answered: the co-ordinator sees it on this card',
      }))
    : s.questions.map((q) => ({ question: q.question, answer: q.answer ?? 'Awaiting an answer' }));
  const a = s.assessment;
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
    statusLine: status.text,
    statusUrgent: status.urgent,
    showAssessment: !extras.forChannel,
    levelTest: a.levelTest?.summary ?? '',
    levelReasons: (a.levelTest?.reasons ?? []).map((text) => ({ text })),
    rosh: a.rosh.map((r) => ({ title: r.group, value: r.level })),
    roshContext: a.roshContext ?? '',
    categoryBasis: a.categoryBasis.map((text) => ({ text })),
    referrerRationale: a.rationale ?? '',
    advisoryNotes: s.advisoryNotes.map((t) => ({ text: t })),
    questions,
    decided: d !== null,
    canSchedule: d?.outcome === 'accepted' && d.level !== 1 && s.caseRef !== null,
    firstMeetingText:
      d?.outcome === 'accepted' && extras.firstMeetingDue
        ? `First Level ${d.level} meeting due by ${ukDate(extras.firstMeetingDue)}.`
        : '',
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
