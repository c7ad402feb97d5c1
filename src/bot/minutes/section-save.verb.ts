import { editMinutesSection, type MinutesError } from '../../app/minutes';
import { canonicalJson } from '../../lib/canonical-json';
import {
  emptySectionRefusal,
  isEmptySectionValue,
  REQUIRED_SECTIONS,
  sectionSpec,
} from '../../domain/minutes-sections';
import type { Minutes } from '../../domain/minutes.schema';
import type { Result } from '../../lib/result';
import type { ExecuteHandler } from '../capability';
import { errorSummary } from '../cards/error-summary';
import { isPersonal } from '../meetings/find-meeting';
import { logFailure } from '../notifications/log-failure';
import type { SectionSavePayload } from './catalogue';
import { openForReview, PERSONAL_ONLY, readerHasVisor, reviewCardOf, sectionCardOf } from './review.card';
import { applyTyped, notTextInputs, typedSection } from './section-apply';
import { sectionLabels, sectionValue } from './section-fields';

const NO_SUCH_SECTION =
  'That form named a part that is not a section of the minutes, so nothing was saved. What you typed is below: open the section from the review card and put it there.';

// The card's own bookkeeping, not anything the user typed.
const CARD_KEYS = new Set(['minutesId', 'section', 'sectionVersion', 'revision', 'part', 'verb', 'action']);

/** What was typed into a form whose section could not be told, each input as typed. */
const typedFacts = (form: Readonly<Record<string, unknown>>): { title: string; value: string }[] =>
  Object.entries(form)
    .filter((e): e is [string, string] => !CARD_KEYS.has(e[0]) && typeof e[1] === 'string' && e[1].trim() !== '')
    .map(([k, v]) => ({ title: k.slice(0, 100), value: v.slice(0, 20_000) }));

const NO_VERSION =
  'This card did not say which version of the section it was opened from, so nothing was saved. Your text is kept here: open the section again from the review card and put it there.';

const OUTAGE =
  'That did not go through: the database did not answer, so nothing was saved. Your text is kept here: press Save this section again in a moment.';

/**
 * Saves one section with the section version the editor started from. Nothing typed is lost: a
 * conflict shows what the other person saved above the kept text, a refused field is named under its
 * input, an approved version refuses with the correction path, and an outage says so.
 */
export const sectionSaveVerb: ExecuteHandler<SectionSavePayload> = async (h, p) => {
  if (!isPersonal(h)) return h.card('notice', { title: 'Not changed', message: PERSONAL_ONLY, facts: [] });
  const opened = await openForReview(h, p.minutesId);
  if (!opened.ok) return opened.card;
  const view = opened.view;
  const section = p.section;
  if (section === undefined)
    return h.card('notice', { title: 'Not saved', message: NO_SUCH_SECTION, facts: typedFacts(p.form) });
  const visor = await readerHasVisor(h);
  const base = sectionValue(view.minutes, section);
  const typed = typedSection(section, base, view.agencyNames, visor, p.form);
  const again = (o: Parameters<typeof sectionCardOf>[4]) =>
    sectionCardOf(h, view, section, visor, { typed, part: p.part, ...o });
  const notText = notTextInputs(section, base, view.agencyNames, visor, p.form);
  const applied = applyTyped(section, base, view.agencyNames, visor, typed, notText);
  if (!applied.ok)
    return again({
      errors: applied.errors,
      formError: errorSummary(applied.errors, sectionLabels(section, base, view.agencyNames, visor)),
    });
  // A card without its version (damaged, forged) cannot claim to be current: nothing is saved over anyone.
  if (p.sectionVersion === undefined) return again({ formError: NO_VERSION });
  const required = REQUIRED_SECTIONS.includes(section);
  if (required && isEmptySectionValue(applied.value)) return again({ formError: emptySectionRefusal(section) });
  const title = sectionSpec(section).title;
  const cleared = !required && isEmptySectionValue(applied.value) && !isEmptySectionValue(base);
  let res: Result<Minutes, MinutesError>;
  try {
    res = await editMinutesSection(h.deps.minutes.run, h.principal, p.minutesId, {
      section,
      version: p.sectionVersion,
      value: applied.value,
    });
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not save a minutes section');
    return again({ formError: OUTAGE });
  }
  if (res.ok) {
    const reopened = await openForReview(h, p.minutesId);
    if (!reopened.ok) return reopened.card;
    return reviewCardOf(h, reopened.view, {
      notice: cleared
        ? `Saved: ${title}. ${title} was cleared: the section is now empty in the minutes.`
        : `Saved: ${title}.`,
    });
  }
  const e = res.error;
  if (e.code === 'VERSION_CONFLICT' && 'current' in e) {
    const current = e.current as { version?: unknown; value?: unknown } | undefined;
    // A double click sends the same text twice from one version: the first save is this one. Wrapped,
    // since a cleared optional section's value is undefined, which has no JSON of its own.
    if (canonicalJson({ v: current?.value }) === canonicalJson({ v: applied.value })) {
      const reopened = await openForReview(h, p.minutesId);
      if (!reopened.ok) return reopened.card;
      return reviewCardOf(h, reopened.view, { notice: `Saved: ${sectionSpec(section).title} (already saved).` });
    }
    return again({
      conflict: {
        message: e.message,
        value: current?.value,
        version: typeof current?.version === 'number' ? current.version : view.minutes.sectionVersions[section],
      },
    });
  }
  return again({ formError: `Nothing was saved. ${e.message}` });
};
