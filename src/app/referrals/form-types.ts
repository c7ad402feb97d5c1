import type { Agency } from '../../domain/agency.schema';
import type { Jurisdiction } from '../../domain/common.schema';
import type { Referral, ReferralSectionId } from '../../domain/referral.schema';
import type { Result } from '../../lib/result';

/** The shapes of the MAPPA A questions (see referral-form.ts for how they are used). */

export type DraftSections = Referral['sections'];
export type SectionValue = Record<string, unknown>;

/** What answering a question may depend on: the area and what the draft already says. */
export interface FormContext {
  readonly jurisdiction: Jurisdiction;
  /** The area's active agencies, for matching names typed by the referrer. */
  readonly agencies: readonly Agency[];
  readonly sections: DraftSections;
  /** Police-only questions (ViSOR intelligence) are only asked of agencies with ViSOR access. */
  readonly referrerHasVisorAccess: boolean;
  /** Today in the UK, for answers that cannot lie in the future (a date of birth). */
  readonly today?: string;
}

export interface Choice {
  readonly value: string;
  readonly title: string;
}

export type QuestionKind = 'text' | 'list' | 'date' | 'yesno' | 'choice' | 'multi' | 'compound';

/** One input on a card, as data: the bot layer turns it into an Adaptive Card input. */
export interface CardInput {
  /** Unique on the card; starts with the question id (`agencies.0.agencyId` for a row's agency). */
  readonly id: string;
  /** The input's label: what a screen reader announces, so every one is distinct on a card. */
  readonly label: string;
  readonly kind: 'text' | 'date' | 'choice' | 'multi' | 'toggle';
  readonly required: boolean;
  readonly multiline?: boolean;
  readonly maxLength?: number;
  /** Choice sets: a drop-down ('compact') for long lists, radio buttons or tick boxes otherwise. */
  readonly style?: 'compact' | 'expanded';
  readonly choices?: readonly Choice[];
  /** An example, shown inside an empty text box. */
  readonly placeholder?: string;
  /** A heading above the input, for the first input of a row ("Agency 2"). */
  readonly heading?: string;
  /** A tick box's own words, beside the box (its label is the question above it). */
  readonly title?: string;
}

/** What a card sent back: each input's value by input id (an unticked box or empty text is ''). */
export type CardValues = Readonly<Record<string, string>>;

export interface ReferralQuestion {
  readonly section: ReferralSectionId;
  /** Unique within the section; the section field it fills, or `field.part` for one part of it. */
  readonly id: string;
  /** The section field the answer lands in (a key of the section schema). */
  readonly field: string;
  readonly kind: QuestionKind;
  /** Short label for the review card. */
  readonly label: string;
  readonly prompt: (ctx: FormContext) => string;
  /** An example answer, shown under the question. */
  readonly hint?: string;
  /** Offered on the card; a typed reply is accepted by number, value or title. */
  readonly choices?: (ctx: FormContext) => readonly Choice[];
  /** False for questions that only refine a required field someone else fills. */
  readonly required: boolean;
  readonly appliesTo?: (ctx: FormContext) => boolean;
  /** `typed`: a free-text account, asked on its own in the chat; `card`: an input on the section's card. */
  readonly ask: 'card' | 'typed';
  /** The typed answer as a patch of the section, or a message saying what to change. */
  readonly toPatch: (raw: string, ctx: FormContext, current: SectionValue) => Result<SectionValue, string>;
  /** The current answer in words, or undefined when not answered. */
  readonly show: (current: SectionValue, ctx: FormContext) => string | undefined;
  /** The answer as separate lines for the review (one per agency or victim); defaults to `show`. */
  readonly showEach?: (current: SectionValue, ctx: FormContext) => { label: string; value: string }[];
  /** A list answered as rows of inputs (agencies, victims, documents), which a card can extend. */
  readonly repeats?: boolean;
  /** The card inputs that answer it; `moreRows` adds a fresh set of empty rows to a list of rows. */
  readonly inputs: (ctx: FormContext, current: SectionValue, moreRows?: boolean) => readonly CardInput[];
  /** The current answer as the inputs' values, so a card shows what is saved. */
  readonly values: (current: SectionValue, ctx: FormContext) => CardValues;
  /** The card's values as a patch; a blank optional answer is left blank, a blank required one refused. */
  readonly fromInputs: (values: CardValues, ctx: FormContext, current: SectionValue) => Result<SectionValue, string>;
  /** The patch that leaves the question blank (`skip`). */
  readonly clear: (current: SectionValue) => SectionValue;
}
