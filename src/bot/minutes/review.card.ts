import { openMinutes, type MinutesView } from '../../app/minutes';
import { formatUkDate } from '../../domain/format';
import { decisionLine } from '../../documents/minutes-content';
import { MINUTES_SECTIONS, sectionSpec } from '../../domain/minutes-sections';
import { minutesGaps, type MinutesSectionId } from '../../domain/minutes.schema';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import {
  fitToCard,
  isChairOrCoordinator,
  minutesSections,
  NO_MINUTES,
  sizeOf,
  statusLine,
  WITHHELD,
} from './minutes.card';
import { sectionFacts, sectionInputs, sectionNote, sectionValue } from './section-fields';
import { PARTS_A_PAGE, sectionParts } from './section-parts';

export const notFound = (h: HandlerContext): AdaptiveCardJson =>
  h.card('notice', { title: 'Not found', message: NO_MINUTES, facts: [] });

export const ONLY_CHAIR =
  "Only the meeting's chair or the co-ordinator reviews, approves and corrects the minutes. Nothing was changed.";

export const PERSONAL_ONLY =
  'The minutes are reviewed in your personal chat with the bot, never in a shared conversation: type minutes and the case reference there. Nothing was changed.';

/** Whether this reader's agency sees police-only text (ViSOR access). */
export async function readerHasVisor(h: HandlerContext): Promise<boolean> {
  const area = await h.deps.minutes.run.members.getArea(h.deps.minutes.run.areaId);
  return area.ok && area.value.agencies.some((a) => a.id === h.principal.member?.agencyId && a.visorAccess);
}

/** The minutes for review, if this reader is the meeting's chair or a co-ordinator. */
export async function openForReview(
  h: HandlerContext,
  minutesId: string,
): Promise<{ ok: true; view: MinutesView } | { ok: false; card: AdaptiveCardJson }> {
  const view = await openMinutes(h.deps.minutes.run, h.principal, minutesId, { editing: true });
  if (!view.ok) return { ok: false, card: notFound(h) };
  const meeting = await h.deps.minutes.run.meetings.get(view.value.minutes.meetingId);
  if (!meeting.ok || !isChairOrCoordinator(h.principal, meeting.value))
    return { ok: false, card: h.card('notice', { title: 'Not changed', message: ONLY_CHAIR, facts: [] }) };
  return { ok: true, view: view.value };
}

interface ReviewOptions {
  readonly notice?: string;
  readonly reason?: string;
  readonly reasonError?: string;
}

/** The review card from a view already opened (and audited) for this reader. */
export function reviewCardOf(h: HandlerContext, view: MinutesView, o: ReviewOptions = {}): AdaptiveCardJson {
  const m = view.minutes;
  const approved = m.status === 'approved';
  const blocks = minutesSections(
    h,
    view,
    approved ? 'download the minutes (Word or PDF) to read it all' : "press the section's Edit button to read it all",
  );
  return h.card('minutes-review', {
    minutesId: m.id,
    version: String(m.version),
    revision: String(m.revision),
    title: `Review the minutes: ${view.caseRef}`,
    statusLine: approved ? statusLine(m) : `${statusLine(m).split(':')[0]}: not yet approved`,
    notice: o.notice ?? '',
    facts: [
      { title: 'Meeting date', value: formatUkDate(m.meetingDetails.date) },
      { title: 'Level', value: `Level ${m.meetingDetails.level}` },
      { title: 'Decision', value: decisionLine(m) },
      ...(m.correction
        ? [{ title: `Correction of version ${m.correction.corrects}`, value: m.correction.reason }]
        : []),
      ...(approved && m.contentHash ? [{ title: 'Content hash (SHA-256)', value: m.contentHash }] : []),
    ],
    withheldText: view.withheld ? WITHHELD : '',
    sections: MINUTES_SECTIONS.map((s, i) => ({
      sectionId: s.id,
      heading: blocks[i]?.heading ?? s.title,
      editTitle: `Edit ${s.title}`,
      facts: blocks[i]?.facts ?? [],
    })),
    approved,
    canApprove: true,
    gaps: approved ? [] : minutesGaps(m).map((text) => ({ text })),
    values: { reason: o.reason ?? '' },
    errors: { reason: o.reasonError ?? '' },
    formError: o.reasonError ? '1 field needs attention: Reason. Each says what is needed below it.' : '',
  });
}

/** Opens the minutes for review and renders them, or says why not (not found, not the chair). */
export async function reviewCard(
  h: HandlerContext,
  minutesId: string,
  o: ReviewOptions = {},
): Promise<AdaptiveCardJson> {
  const opened = await openForReview(h, minutesId);
  return opened.ok ? reviewCardOf(h, opened.view, o) : opened.card;
}

export interface SectionCardOptions {
  readonly typed?: Readonly<Record<string, string>>;
  readonly errors?: Readonly<Record<string, string>>;
  readonly formError?: string;
  readonly conflict?: { readonly message: string; readonly value: unknown; readonly version: number };
  /** The part of a long section the form edits (see `sectionParts`), and the chooser's page. */
  readonly part?: string | undefined;
  readonly page?: number | undefined;
}

/** Room on a form's card for what the other person saved, after the inputs (bytes, as estimated). */
const CONFLICT_ROOM = 74_000;

const PART_GONE =
  'That part of the section is not there any more (the section changed since that card was sent). Choose the part to edit below.';

/**
 * One section as a form: prefilled, or with what was typed kept and each refused field's message under
 * it. A section too long for one card lists its parts instead, and the form edits one part.
 */
export function sectionCardOf(
  h: HandlerContext,
  view: MinutesView,
  section: MinutesSectionId,
  visor: boolean,
  o: SectionCardOptions = {},
): AdaptiveCardJson {
  const m = view.minutes;
  const value = sectionValue(m, section);
  const version = o.conflict?.version ?? m.sectionVersions[section];
  const saved = m.sectionVersions[section];
  const title = sectionSpec(section).title;
  const parts = sectionParts(section, value, view.agencyNames, visor, o.typed);
  const part = parts.find((p) => p.id === o.part);
  // A form sent back (refused, or in conflict) shows the inputs it sent, whatever the parts are now.
  const only =
    parts.length === 0
      ? undefined
      : o.typed
        ? new Set([...Object.keys(o.typed), ...Object.keys(o.errors ?? {})])
        : part?.slotIds;
  const base = {
    minutesId: m.id,
    section,
    sectionVersion: String(version),
    revision: String(m.revision),
    statusLine: `Minutes version ${m.revision} (draft) · this section saved ${saved} time${saved === 1 ? '' : 's'}`,
    note: sectionNote(section),
  };
  if (only === undefined && parts.length > 0) {
    const pages = Math.ceil(parts.length / PARTS_A_PAGE);
    const page = Math.min(o.page ?? 0, pages - 1);
    const listed = parts.slice(page * PARTS_A_PAGE, (page + 1) * PARTS_A_PAGE);
    return h.card('minutes-section', {
      ...base,
      title: `Edit: ${title}`,
      conflict: false,
      conflictMessage: '',
      current: [],
      inputs: [],
      choosing: true,
      part: '',
      partsIntro:
        'Choose the part to edit: this section is too long to edit on one card, so each part has its own form, ' +
        'saved on its own.' +
        (pages > 1
          ? ` Parts ${page * PARTS_A_PAGE + 1} to ${page * PARTS_A_PAGE + listed.length} of ${parts.length}.`
          : ''),
      parts: listed.map((p) => ({ part: p.id, title: `Edit ${p.label}` })),
      morePage: page + 1 < pages ? String(page + 1) : '',
      formError: o.part !== undefined && !part ? PART_GONE : (o.formError ?? ''),
    });
  }
  const inputs = sectionInputs(section, value, view.agencyNames, visor, o.typed, o.errors, only);
  const room = CONFLICT_ROOM - inputs.reduce((n, i) => n + sizeOf(i.value) + 2 * sizeOf(i.label) + 700, 0);
  const current = o.conflict ? sectionFacts(section, o.conflict.value, view.agencyNames, visor, only) : [];
  return h.card('minutes-section', {
    ...base,
    title: `Edit: ${title}${part ? ` (${part.label})` : ''}`,
    conflict: o.conflict !== undefined,
    conflictMessage: o.conflict?.message ?? '',
    current:
      fitToCard([{ heading: '', facts: current }], 'open this part again to see it whole', Math.max(room, 2_000))[0]
        ?.facts ?? [],
    inputs,
    choosing: false,
    part: only ? (o.part ?? '') : '',
    partsIntro: '',
    parts: [],
    morePage: '',
    formError: o.formError ?? '',
  });
}
