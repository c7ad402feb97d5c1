import { z } from 'zod';

/** The agency update form's fields, in the card's order. */
export const UPDATE_FIELDS = [
  'content',
  'changeInRisk',
  'childrenAndVulnerablePeople',
  'victimIssues',
  'forDisclosure',
  'restrictedIntelligence',
] as const;
export type UpdateField = (typeof UPDATE_FIELDS)[number];
export type MeetingAbility =
  | 'markPresent'
  | 'attendance'
  | 'previousActions'
  | 'openRound'
  | 'moveRound'
  | 'update'
  | 'updateOnBehalf'
  | 'amendUpdate'
  | 'risk'
  | 'plan'
  | 'view'
  | 'decision'
  | 'end';

const choice = z.object({ title: z.string(), value: z.string() });
const fact = z.object({ title: z.string(), value: z.string() });

/** The meeting cards' data (joined into `cardDataSchemas` in render.ts). */
export const MEETING_CARD_SCHEMAS = {
  /**
   * The one meeting card in the meeting's conversation. Everyone sees the case reference, the agenda
   * with where it has got to, and the invited agencies with their state; `showDetail` (the per-user
   * refresh of an entitled reader) adds the record and the buttons this reader may use.
   */
  meeting: z.object({
    meetingId: z.string().min(1),
    /** The meeting version and round turn this card was rendered from; every button sends them back. */
    version: z.string(),
    turn: z.string(),
    /** Teams user ids (29:…) whose view refreshes to the detailed one; at most 60 by platform rule. */
    refreshUserIds: z.array(z.string()).max(60),
    title: z.string().min(1),
    statusLine: z.string().min(1),
    notice: z.string(),
    agenda: z.array(z.object({ text: z.string() })),
    confidentiality: z.string(),
    agencies: z.array(fact),
    showDetail: z.boolean(),
    withheldText: z.string(),
    sections: z.array(z.object({ heading: z.string(), facts: z.array(fact) })),
    can: z.object(
      Object.fromEntries(
        [
          'markPresent',
          'attendance',
          'previousActions',
          'openRound',
          'moveRound',
          'update',
          'updateOnBehalf',
          'amendUpdate',
          'risk',
          'plan',
          'view',
          'decision',
          'end',
        ].map((k) => [k, z.boolean()]),
      ) as Record<MeetingAbility, z.ZodBoolean>,
    ),
    myAgencyId: z.string(),
    currentAgencyId: z.string(),
    myUpdateTitle: z.string().min(1),
    onBehalfTitle: z.string().min(1),
  }),
  /** One step of a meeting as a form (attendance, previous actions, round, risk, plan, view, decision). */
  'meeting-step': z.object({
    meetingId: z.string().min(1),
    title: z.string().min(1),
    statusLine: z.string().min(1),
    guidance: z.string(),
    lists: z.array(z.object({ heading: z.string(), facts: z.array(fact) })),
    inputs: z.array(
      z.object({
        id: z.string().min(1),
        label: z.string().min(1),
        title: z.string(),
        kind: z.enum(['text', 'date', 'choice', 'multi']),
        heading: z.string(),
        required: z.boolean(),
        errorMessage: z.string(),
        multiline: z.boolean(),
        maxLength: z.number().int().positive(),
        placeholder: z.string(),
        style: z.enum(['compact', 'expanded']),
        choices: z.array(choice),
        value: z.string(),
        error: z.string(),
      }),
    ),
    formError: z.string(),
    submitTitle: z.string().min(1),
    verb: z.string().min(1),
    submitData: z.record(z.string(), z.string()),
  }),
  /** An agency's update: the draft to prepare, or to confirm or amend at its turn; a conflict shows both. */
  'agency-update': z.object({
    meetingId: z.string().min(1),
    agencyId: z.string().min(1),
    kind: z.enum(['update', 'report_in_lieu']),
    /** The saved update's version the typist starts from ('' when there is none yet). */
    updateVersion: z.string(),
    turn: z.string(),
    title: z.string().min(1),
    statusLine: z.string().min(1),
    conflict: z.boolean(),
    conflictMessage: z.string(),
    current: z.array(fact),
    /** Only for a reader whose agency (and the acting one) has ViSOR access. */
    showPoliceOnly: z.boolean(),
    values: z.object(Object.fromEntries(UPDATE_FIELDS.map((f) => [f, z.string()])) as Record<UpdateField, z.ZodString>),
    errors: z.object(Object.fromEntries(UPDATE_FIELDS.map((f) => [f, z.string()])) as Record<UpdateField, z.ZodString>),
    formError: z.string(),
    canConfirm: z.boolean(),
    canDraft: z.boolean(),
    confirmTitle: z.string().min(1),
  }),
} as const;
