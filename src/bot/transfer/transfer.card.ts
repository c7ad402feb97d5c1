import { responsibleArea, type Transfer } from '../../domain';
import { catalogueAgencyName } from '../../domain/agency-catalogue';
import { formatUkDate } from '../../domain/format';
import type { Principal } from '../../domain/policy';
import type { AdaptiveCardJson } from '../cards/render';
import type { CardRenderer } from '../handler-context';
import type { AreaNames } from './deps';

const STATE_TEXT: Readonly<Record<Transfer['state'], string>> = {
  pending: "Waiting for the receiving area's co-ordinator to accept or decline",
  accepting: 'Being accepted: the case is moving to the receiving area',
  accepted: 'Accepted: the receiving area is now responsible',
  declined: 'Declined: the sending area stays responsible',
  withdrawn: 'Withdrawn by the sending area: it stays responsible',
};

const nameOf = (t: Transfer, areaId: string, names: AreaNames = {}): string =>
  areaId === t.fromAreaId ? t.package.from.areaName : (names[areaId] ?? areaId);

const categoryText = (c: string | null) =>
  c === null ? 'Not decided' : c === 'restricted_patient' ? 'Restricted patient' : `Category ${c.slice(3)}`;

/** Whether this caller is one of the receiving area's co-ordinators, who alone see the details. */
export const isReceiver = (p: Principal | null, t: Transfer): boolean =>
  !!p?.member?.active && p.member.roles.includes('coordinator') && p.member.areaId === t.toAreaId;

/**
 * The hand-over card. The channel copy carries the reference, level, category and counts only;
 * a receiving co-ordinator's refresh adds the actions, the minutes record and the decision history.
 */
export function transferCard(
  card: CardRenderer,
  t: Transfer,
  opts: {
    viewer: Principal | null;
    refreshUserIds: string[];
    formError?: string;
    reason?: string;
    areaNames?: AreaNames;
  },
): AdaptiveCardJson {
  const p = t.package;
  const receiver = isReceiver(opts.viewer, t);
  const agency = (id: string) => catalogueAgencyName(p.case.jurisdiction, id);
  const details = receiver
    ? [
        ...p.openActions.map((a) => ({
          title: `Action (${agency(a.ownerAgencyId)})`,
          value: `${a.text} · due ${formatUkDate(a.dueDate)}`,
        })),
        ...(p.latestApprovedMinutes
          ? [
              {
                title: 'Latest approved minutes',
                value: `Version ${p.latestApprovedMinutes.version}, content hash ${p.latestApprovedMinutes.contentHash.slice(0, 12)}…`,
              },
            ]
          : []),
        ...p.decisions.map((d) => ({
          title: `Decision ${formatUkDate(d.decidedAt.slice(0, 10))}`,
          // Who decided stays with the record: names are not for a card in a shared channel.
          value: d.kind === 'level' ? `Level ${d.to}` : categoryText(d.to),
        })),
        ...(t.declineReason ? [{ title: 'Reason declined', value: t.declineReason }] : []),
      ]
    : [];
  return card('transfer', {
    transferId: t.id,
    caseRef: t.caseRef,
    refreshUserIds: opts.refreshUserIds,
    stateText:
      t.mode === 'import' && (t.state === 'declined' || t.state === 'accepted')
        ? `${STATE_TEXT[t.state]}. Your administrator fetches the signed receipt for the sending deployment.`
        : STATE_TEXT[t.state],
    facts: [
      { title: 'From', value: p.from.areaName },
      { title: 'Responsible now', value: nameOf(t, responsibleArea(t), opts.areaNames) },
      { title: 'Level', value: p.case.level === null ? 'Not decided' : `Level ${p.case.level}` },
      { title: 'Category', value: categoryText(p.case.category) },
      { title: 'Lead agency', value: agency(p.case.leadAgencyId) },
      { title: 'Sent', value: formatUkDate(p.createdAt) },
      ...(t.mode === 'import'
        ? [
            { title: 'From another deployment', value: 'Yes: accepting creates the case here' },
            { title: 'Package expires', value: formatUkDate(p.expiresAt) },
          ]
        : []),
      ...(t.decidedAt ? [{ title: 'Answered', value: formatUkDate(t.decidedAt) }] : []),
      ...(t.state === 'accepted' && t.receivingRef ? [{ title: 'New reference', value: t.receivingRef }] : []),
      { title: 'Open actions', value: String(p.openActions.length) },
      { title: 'Decisions on record', value: String(p.decisions.length) },
    ],
    details,
    // `accepting` keeps Accept: pressing it again finishes a move cut short.
    canAnswer: receiver && (t.state === 'pending' || t.state === 'accepting'),
    formError: opts.formError ?? '',
    values: { reason: opts.reason ?? '' },
  });
}

/**
 * What the sending area's co-ordinator channel is told once a transfer is answered. An export
 * accepted by a signed receipt gets the hand-over card itself in its accepted state (no card was
 * posted on this side when the package left, so there is none to update); any other answer is a
 * notice. Reference, areas and dates only: the reason of a decline is the receiving co-ordinator's
 * own words, for this channel of the sending area's co-ordinators.
 */
export function transferAnsweredCard(card: CardRenderer, t: Transfer, areaNames: AreaNames = {}): AdaptiveCardJson {
  if (t.mode === 'export' && t.state === 'accepted')
    return transferCard(card, t, { viewer: null, refreshUserIds: [], areaNames });
  const to = nameOf(t, t.toAreaId, areaNames);
  const message =
    t.state === 'accepted'
      ? `${to} accepted the transfer of ${t.caseRef}; it is now their case (${t.receivingRef ?? ''}).`
      : `${to} declined the transfer of ${t.caseRef}. Reason: ${t.declineReason ?? ''}. Your area stays responsible.`;
  return card('notice', { title: 'Case transfer answered', message, facts: [], nextSteps: [] });
}

/** Both areas' co-ordinator channels are told a pending hand-over was taken back: reference and areas only. */
export function transferWithdrawnCard(card: CardRenderer, t: Transfer, areaNames: AreaNames = {}): AdaptiveCardJson {
  const message = `${t.package.from.areaName} withdrew the transfer of ${t.caseRef} to ${nameOf(t, t.toAreaId, areaNames)} before it was answered. Nothing moved; ${t.package.from.areaName} stays responsible.`;
  return card('notice', { title: 'Case transfer withdrawn', message, facts: [], nextSteps: [] });
}
