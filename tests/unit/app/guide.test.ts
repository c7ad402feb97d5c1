import { answerGuide, GUIDE_TOPICS, matchTopic, timescaleLine, type GuideDeps } from '../../../src/app/guide';
import { newArea, type Area } from '../../../src/domain/area.schema';
import { ok, err } from '../../../src/lib/result';
import { appError } from '../../../src/lib/errors';

/** Each topic with questions people ask in their own words that must reach it. */
const PHRASINGS: Readonly<Record<string, readonly string[]>> = {
  categories: [
    'who counts as category 3',
    'what are the MAPPA categories?',
    'is a registered sex offender eligible?',
    'does a terrorism offence qualify for MAPPA',
    'cat 2 criteria',
  ],
  levels: ['what is level 2?', 'levels', 'when should a case go to L3', 'can we step down to level 1?', 'which level?'],
  risk: [
    'what does serious harm mean',
    'what is RoSH',
    'is very high risk the same as level 3 risk?',
    'how is risk assessed in OASys',
  ],
  referral: [
    'how do I make a referral?',
    'what happens next after I refer',
    'how long does the co-ordinator take to decide',
    'MAPPA A form',
    'timescales',
  ],
  meetings: [
    'how do I prepare for a MAPPA meeting',
    "I can't attend the meeting, what do I do?",
    'what goes in my agency update',
    'meeting agenda',
  ],
  sharing: [
    'can I share this with housing?',
    'information sharing',
    'is it lawful to pass this to the GP',
    'data protection',
    'can health see the ViSOR record',
  ],
  disclosure: [
    'should we tell his new partner?',
    'disclosure',
    'can I warn the victim',
    'telling an employer about his conviction',
    'what is a confidentiality undertaking',
  ],
};

const area: Area = newArea({ id: 'a1', name: 'Northshire MAPPA', jurisdiction: 'england-wales', tenantId: 't1' });
const scottish: Area = newArea({ id: 'a2', name: 'Glenburn MAPPA', jurisdiction: 'scotland', tenantId: 't1' });
const deps = (a: Area, contact = ''): GuideDeps => ({
  members: { getArea: (id) => Promise.resolve(id === a.id ? ok(a) : err(appError('NOT_FOUND', 'no area'))) },
  areaId: a.id,
  contact,
  marking: 'OFFICIAL-SENSITIVE',
});

describe('the guidance topics', () => {
  it('has every topic the issue names, each with a test below', () => {
    expect(GUIDE_TOPICS.map((t) => t.id)).toEqual(Object.keys(PHRASINGS));
  });

  describe.each(Object.entries(PHRASINGS))('%s', (id, questions) => {
    it.each(questions.map((q) => [q]))('"%s" reaches it', (q) => {
      expect(matchTopic(q, GUIDE_TOPICS)?.id).toBe(id);
    });
  });

  it.each([['what is the weather like tomorrow?'], ['how do I reset my password'], ['pizza'], ['???']])(
    '"%s" matches nothing',
    (q) => {
      expect(matchTopic(q, GUIDE_TOPICS)).toBeNull();
    },
  );
});

describe('answerGuide', () => {
  it('lists the topics for "guide" alone', async () => {
    const r = await answerGuide(deps(area), '');
    expect(r.kind).toBe('topics');
    expect(r.topics.map((t) => t.id)).toContain('levels');
  });

  it('answers "levels" by name, in the words of the jurisdiction', async () => {
    const r = await answerGuide(deps(area), 'levels');
    if (r.kind !== 'answer') throw new Error(`expected an answer, got ${r.kind}`);
    expect(r.answer.title).toBe('The three levels and their criteria');
    expect(r.answer.lines.join(' ')).toContain('Level 2');
    const sco = await answerGuide(deps(scottish), 'levels');
    if (sco.kind !== 'answer') throw new Error('expected an answer');
    expect(sco.answer.lines.join(' ')).toContain('cannot be delivered at Level 2');
  });

  it("gives the area's own timescales, which differ between England and Wales and Scotland", async () => {
    const ew = await answerGuide(deps(area), 'referral');
    const sco = await answerGuide(deps(scottish), 'referral');
    if (ew.kind !== 'answer' || sco.kind !== 'answer') throw new Error('expected answers');
    expect(ew.answer.timescales).toContain(
      'Co-ordinator decision on a referral: within 10 working days of the referral (area practice)',
    );
    expect(ew.answer.timescales).toContain('Referral to Level 2/3: no set timescale in Northshire MAPPA');
    expect(sco.answer.timescales).toContain(
      'Referral to Level 2/3: within 5 working days of the notification (area practice)',
    );
    expect(sco.answer.timescales).toContain('Level 3 review: within 6 weeks after the last meeting (area practice)');
    expect(ew.answer.source).toContain('England and Wales');
    expect(sco.answer.source).toContain('chapter 5');
  });

  it('follows a change to the area: a figure it sets is what guide says', () => {
    const changed: Area = {
      ...area,
      timescales: {
        ...area.timescales,
        referralAfterNotification: {
          amount: 7,
          unit: 'working_days',
          adjust: 'none',
          verified: true,
          provenance: 'area_practice',
          source: 'local protocol',
        },
      },
    };
    expect(timescaleLine(changed, 'referralAfterNotification')).toBe(
      'Referral to Level 2/3: within 7 working days of the notification (area practice)',
    );
    expect(timescaleLine(area, 'level2Review')).toMatch(/16 weeks .*to be confirmed locally$/);
  });

  it('says who to contact from configuration, and whom to ask when none is set', async () => {
    const set = await answerGuide(deps(area, 'MAPPA Unit, 01632 960000'), 'levels');
    expect(set.contactLine).toBe('MAPPA co-ordination unit for Northshire MAPPA: MAPPA Unit, 01632 960000');
    const unset = await answerGuide(deps(area), 'levels');
    expect(unset.contactLine).toBe('For a particular case, ask the MAPPA co-ordinator for Northshire MAPPA.');
  });

  it('says so for a question it cannot match, and lists the topics', async () => {
    const r = await answerGuide(deps(area), 'what is the weather like tomorrow?');
    expect(r.kind).toBe('unmatched');
    expect(r.topics).toHaveLength(GUIDE_TOPICS.length);
  });

  it('fills in the area labels and marking, leaving no placeholder', async () => {
    for (const t of GUIDE_TOPICS) {
      const r = await answerGuide(deps(area), t.id);
      if (r.kind !== 'answer') throw new Error('expected an answer');
      expect(r.answer.lines.join(' ')).not.toMatch(/[{}<>]/);
    }
  });
});
