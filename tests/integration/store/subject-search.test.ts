import { aNewSubject, aRequestActor } from '../../fixtures/builders';
import { openTestStore, type TestStore } from '../../support/store';

/** The lookups `find` relies on: by ViSOR reference and by date of birth, each with its index. */
describe('subject lookups for find', () => {
  let store: TestStore;
  const by = aRequestActor();
  beforeAll(async () => {
    store = await openTestStore('subjsearch');
  });
  afterAll(() => store.close());

  it('finds subjects born on a day in one area only, and by ViSOR reference', async () => {
    const born = (areaId: string, dateOfBirth: string, visor?: string) =>
      store.repos.subjects.create(aNewSubject({ areaId, dateOfBirth, identifiers: visor ? { visor } : {} }), { by });
    const a = await born('area-s', '1980-02-29', 'VIS-1');
    const b = await born('area-s', '1980-02-29');
    await born('area-s', '1980-03-01');
    await born('area-t', '1980-02-29', 'VIS-1');
    const found = await store.repos.subjects.findByDateOfBirth('area-s', '1980-02-29');
    expect(found.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    const byVisor = await store.repos.subjects.findByIdentifier('area-s', { kind: 'visor', value: 'VIS-1' });
    expect(byVisor.map((s) => s.id)).toEqual([a.id]);
  });

  it('has an index for each lookup, so none scans the area', async () => {
    const indexes = await store.db.collection('subjects').indexes();
    const keys = Object.fromEntries(indexes.map((i) => [i.name, i.key]));
    expect(keys).toMatchObject({
      subjects_area_pnc: { areaId: 1, 'identifiers.pnc': 1 },
      subjects_area_crn: { areaId: 1, 'identifiers.crn': 1 },
      subjects_area_visor: { areaId: 1, 'identifiers.visor': 1 },
      subjects_area_dob: { areaId: 1, dateOfBirth: 1 },
    });
  });
});
