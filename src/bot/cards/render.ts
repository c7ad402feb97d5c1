import type * as ACData from 'adaptivecards-templating';
import type { Attachment } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import { z } from 'zod';
import { CARD_TEMPLATES } from './templates';
import { MEETING_CARD_SCHEMAS } from './meeting-schemas';
import { ACTION_CARD_SCHEMAS } from './action-schemas';
import { REMINDER_CARD_SCHEMAS } from './reminder-schemas';
import { MINUTES_CARD_SCHEMAS } from './minutes-schemas';
import { GUIDE_FIND_CARD_SCHEMAS } from './guide-find-schemas';
import { REFERRAL_WALK_CARD_SCHEMAS } from './referral-schemas';
import { STATS_CARD_SCHEMAS } from './stats-schemas';

export { UPDATE_FIELDS, type MeetingAbility, type UpdateField } from './meeting-schemas';

export const SCHEDULE_FIELDS = ['kind', 'level', 'date', 'time', 'chair', 'agencies', 'venue', 'lateReason'] as const;
type ScheduleStrings = Record<(typeof SCHEDULE_FIELDS)[number], z.ZodString>;
const choice = z.object({ title: z.string(), value: z.string() });
const fact = z.object({ title: z.string(), value: z.string() });
const memberFields = ['aadObjectId', 'displayName', 'agencyId', 'roles'] as const;
const fieldStrings = z.object(
  Object.fromEntries(memberFields.map((f) => [f, z.string()])) as Record<(typeof memberFields)[number], z.ZodString>,
);

/** Data each template binds; the sample `cards/<name>.data.json` files must satisfy these too. */
export const cardDataSchemas = {
  welcome: z.object({ areaName: z.string().min(1) }),
  help: z.object({
    enrolled: z.boolean(),
    /** Commands this person may use, grouped by whom they are for; empty groups are left out. */
    groups: z.array(
      z.object({
        title: z.string(),
        commands: z.array(z.object({ name: z.string(), description: z.string() })).min(1),
      }),
    ),
    /** Buttons for the common starts, in personal chat where those commands run. */
    canNotify: z.boolean(),
    canRefer: z.boolean(),
  }),
  notice: z.object({
    title: z.string().min(1),
    message: z.string(),
    facts: z.array(fact),
    /**
     * The next step, as buttons that send a command as if the reader typed it (see command-button.ts),
     * so the router's role and place checks apply as to anything typed. The first is the primary action.
     */
    nextSteps: z.array(z.object({ title: z.string().min(1), command: z.string().min(1) })).default([]),
  }),
  members: z.object({
    areaName: z.string(),
    members: z.array(
      z.object({ displayName: z.string(), agencyName: z.string(), rolesText: z.string(), active: z.boolean() }),
    ),
  }),
  'member-form': z.object({
    title: z.string(),
    formError: z.string(),
    verb: z.string(),
    submitTitle: z.string(),
    expectedVersion: z.string(),
    /** Pick the person from the conversation's Teams roster (names, not ids) rather than type their id. */
    pickFromRoster: z.boolean().default(false),
    roster: z.array(choice).default([]),
    /** In typed mode: where a list to pick from can be had instead. */
    rosterNote: z.string().default(''),
    agencies: z.array(choice),
    roles: z.array(choice),
    values: fieldStrings,
    errors: fieldStrings,
  }),
  'member-pick': z.object({
    title: z.string(),
    formError: z.string(),
    verb: z.string(),
    submitTitle: z.string(),
    showRoles: z.boolean(),
    members: z.array(choice),
    roles: z.array(choice),
    values: z.object({ aadObjectId: z.string(), roles: z.string() }),
  }),
  'notification-form': z.object({
    title: z.string(),
    formError: z.string(),
    draftId: z.string().min(1),
    agencies: z.array(choice),
    categories: z.array(choice),
    values: z.record(z.string(), z.string()),
    errors: z.record(z.string(), z.string()),
  }),
  'notification-channel': z.object({
    notificationId: z.string().min(1),
    /** Teams user ids (29:…) whose view refreshes automatically; at most 60 by platform rule. */
    refreshUserIds: z.array(z.string()).max(60),
    caseRef: z.string(),
    /** 'Decide by 14 Dec 2026 · 10 working days left', or who decided what and when. */
    statusLine: z.string().min(1),
    /** Close to or past the deadline: the line is also shown in the warning colour (its words say it). */
    statusUrgent: z.boolean(),
    /** Category, initials, lead agency, received, and every other deadline in words. */
    facts: z.array(fact),
    showDetail: z.boolean(),
    detail: z.array(fact),
    withheldText: z.string(),
    decided: z.boolean(),
    notice: z.string(),
    /** Non-empty when the notification joined the person's existing open case. */
    joinedText: z.string(),
    /** Co-ordinator view only: a reference number on it belongs to someone else's record. */
    identityWarning: z.string(),
    /** Where the suggested referral date comes from, or that the area sets no timescale. */
    referralRuleText: z.string(),
    referralDueDefault: z.string(),
    today: z.string(),
  }),
  ...MEETING_CARD_SCHEMAS,
  ...ACTION_CARD_SCHEMAS,
  ...MINUTES_CARD_SCHEMAS,
  ...STATS_CARD_SCHEMAS,
  'erase-confirm': z.object({
    caseRef: z.string(),
    formError: z.string(),
    values: z.object({ confirmation: z.string(), forceReason: z.string() }),
  }),
  ...REMINDER_CARD_SCHEMAS,
  'audit-log': z.object({
    caseRef: z.string(),
    events: z.array(z.object({ at: z.string(), who: z.string(), what: z.string() })),
  }),
  ...REFERRAL_WALK_CARD_SCHEMAS,
  /** A section that arrived answered: shown to confirm rather than asked again. */
  'referral-confirm': z.object({
    referralId: z.string().min(1),
    lead: z.string(),
    sectionId: z.string().min(1),
    step: z.string().regex(/^\d+$/),
    title: z.string().min(1),
    progress: z.string().min(1),
    message: z.string(),
    facts: z.array(fact).min(1),
    changeTitle: z.string().min(1),
  }),
  /** What replaces the review card once submitted: read-only, so no old button can act. */
  'referral-submitted': z.object({ title: z.string().min(1), facts: z.array(fact), message: z.string() }),
  'referral-decision': z.object({
    refreshUserIds: z.array(z.string()).max(60),
    title: z.string().min(1),
    referralId: z.string().min(1),
    caseRef: z.string(),
    initials: z.string(),
    categoryLabel: z.string(),
    levelRequested: z.string(),
    referrerName: z.string(),
    referrerAgency: z.string(),
    submittedOn: z.string(),
    /** 'Decide by 14 Dec 2026 · 10 working days left', or who decided what and when. */
    statusLine: z.string().min(1),
    /** Close to or past the deadline: the line is also shown in the warning colour (its words say it). */
    statusUrgent: z.boolean(),
    /** The co-ordinator's view only (empty on the channel's copy): what the decision rests on. */
    showAssessment: z.boolean(),
    levelTest: z.string(),
    levelReasons: z.array(z.object({ text: z.string() })),
    rosh: z.array(fact),
    roshContext: z.string(),
    categoryBasis: z.array(z.object({ text: z.string() })),
    referrerRationale: z.string(),
    advisoryNotes: z.array(z.object({ text: z.string() })),
    questions: z.array(z.object({ question: z.string(), answer: z.string() })),
    decided: z.boolean(),
    /** Approved at Level 2 or 3: the "Schedule meeting" button (the server checks again on the click). */
    canSchedule: z.boolean().default(false),
    firstMeetingText: z.string(),
    rationale: z.string(),
    advice: z.string(),
    formError: z.string(),
    exportUrl: z.string(),
    /** Non-empty while the co-ordinator must say which case the referral is about. */
    identityWarning: z.string(),
    identityChoices: z.array(choice),
    values: z.object({
      noteL2: z.string(),
      noteL3: z.string(),
      reason: z.string(),
      question: z.string(),
      identity: z.string(),
    }),
    errors: z.object({
      noteL2: z.string(),
      noteL3: z.string(),
      reason: z.string(),
      question: z.string(),
      identity: z.string(),
    }),
  }),
  'referral-question': z.object({
    referralId: z.string().min(1),
    caseRef: z.string(),
    initials: z.string(),
    askedBy: z.string(),
    question: z.string().min(1),
    answer: z.string(),
    answered: z.boolean(),
    formError: z.string(),
  }),
  /** The schedule form: what the case suggests, or what was typed with each refused field's message. */
  'meeting-schedule': z.object({
    title: z.string().min(1),
    statusLine: z.string().min(1),
    facts: z.array(fact),
    caseRef: z.string().min(1),
    scheduleKey: z.string().min(1),
    chairs: z.array(choice),
    agencies: z.array(choice),
    values: z.object(Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, z.string()])) as ScheduleStrings),
    errors: z.object(Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, z.string()])) as ScheduleStrings),
    formError: z.string(),
  }),
  /** One invitee's personal invitation: the case by reference only, never the person's name. */
  'meeting-invitation': z.object({
    title: z.string().min(1),
    statusLine: z.string().min(1),
    facts: z.array(fact),
    meetingId: z.string().min(1),
    agencyId: z.string().min(1),
    agencyName: z.string().min(1),
    substitute: z.string(),
    openActions: z.array(z.object({ text: z.string(), due: z.string() })),
    joinUrl: z.string(),
    note: z.string(),
  }),
  ...GUIDE_FIND_CARD_SCHEMAS,
} as const;

export type CardName = keyof typeof cardDataSchemas;
/** What a caller passes: fields with a default (such as a notice's `nextSteps`) may be left out. */
export type CardData<N extends CardName> = z.input<(typeof cardDataSchemas)[N]>;

const templates: Record<CardName, object> = CARD_TEMPLATES;

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  body: unknown[];
  [key: string]: unknown;
}

// Preparing a template parses every ${...} expression in it, which costs more than binding it; a
// prepared template can be bound to any data, again and again (expand is synchronous and re-entrant).
const preparedTemplates = new Map<CardName, ACData.Template>();
let templating: typeof ACData | undefined;
function prepared(name: CardName): ACData.Template {
  let template = preparedTemplates.get(name);
  if (!template) {
    // Loaded with the first card rather than at start (it brings adaptive-expressions and its parser
    // with it), so an idle bot does not hold it: docs/performance.md, Memory.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load at first use, typed by the import above
    templating ??= require('adaptivecards-templating') as typeof ACData;
    template = new templating.Template(templates[name]);
    preparedTemplates.set(name, template);
  }
  return template;
}

/**
 * Binds a template and frames it with the protective marking at top and bottom. The marking is added
 * here rather than in each template so no card can be posted without it.
 */
export function renderCard<N extends CardName>(name: N, data: CardData<N>, marking: string): AdaptiveCardJson {
  if (!REUSABLE.has(name)) return render(name, data, marking);
  const key = `${name}\u0000${marking}\u0000${JSON.stringify(data)}`;
  let card = rendered.get(key);
  if (!card) {
    card = deepFreeze(render(name, data, marking));
    if (rendered.size >= MAX_RENDERED) rendered.clear();
    rendered.set(key, card);
  }
  return card;
}

/**
 * Cards whose data holds nothing personal (which commands a role may use, the area's name) and so
 * has few distinct values: `help` is the commonest turn, and binding it again each time was most of
 * its CPU beyond the framework's. Each is rendered once per distinct data and handed out frozen, so
 * no caller can change the copy others get. Cards that may carry personal data are never kept.
 */
const REUSABLE: ReadonlySet<CardName> = new Set<CardName>(['help', 'welcome', 'guide']);
const MAX_RENDERED = 256;
const rendered = new Map<string, AdaptiveCardJson>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function render<N extends CardName>(name: N, data: CardData<N>, marking: string): AdaptiveCardJson {
  const bound = cardDataSchemas[name].parse(data);
  const card = prepared(name).expand({ $root: bound }) as AdaptiveCardJson;
  const banner = (id: string) => ({
    type: 'TextBlock',
    id,
    text: marking,
    weight: 'Bolder',
    color: 'Attention',
    size: 'Small',
    horizontalAlignment: 'Center',
    wrap: true,
  });
  return { ...card, body: [banner('marking-top'), ...card.body, banner('marking-bottom')] };
}

export function cardAttachment(card: AdaptiveCardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}
