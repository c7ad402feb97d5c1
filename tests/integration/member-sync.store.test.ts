import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseGroupMappings } from '../../src/app/members';
import { runMemberSync } from '../../src/app/members';
import { createGraphGroupReader } from '../../src/graph/graph-client';
import { unwrap } from '../../src/lib/result';
import { MongoMemberSyncStore } from '../../src/store/member-sync.store';
import { aRequestActor } from '../fixtures/builders';
import { anArea } from '../fixtures/domain-builders';
import { openTestStore, type TestStore } from '../support/store';

const POLICE_GROUP = '11111111-aaaa-4aaa-8aaa-111111111111';
const TENANT = '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c';

describe('Entra group sync applied to the real member store', () => {
  let store: TestStore;
  let graph: Server;
  let baseUrl = '';
  let groupMembers: Array<{ id: string; displayName: string }> = [];

  beforeAll(async () => {
    store = await openTestStore('msync');
    graph = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ value: req.url?.includes(POLICE_GROUP) ? groupMembers : [] }));
    });
    await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}/v1.0`;
  });
  afterAll(async () => {
    graph.closeAllConnections();
    await new Promise((r) => graph.close(r));
    await store.close();
  });

  it('enrols group members, refreshes them, and deactivates those who leave, leaving manual members alone', async () => {
    const { version: _v, ...area } = anArea('england-wales', { tenantId: TENANT });
    unwrap(await store.repos.members.createArea(area, { by: aRequestActor() }));
    unwrap(
      await store.repos.members.enrol(
        {
          aadObjectId: 'b0000000-0000-4000-8000-00000000000a',
          tenantId: TENANT,
          areaId: area.id,
          displayName: 'Manual Person',
          agencyId: 'probation',
          roles: ['practitioner'],
          active: true,
        },
        { by: aRequestActor() },
      ),
    );
    const sync = () =>
      runMemberSync({
        reader: createGraphGroupReader({ baseUrl, getToken: async () => 'test-token', sleep: async () => undefined }),
        members: new MongoMemberSyncStore(store.db, store.repos.members),
        mappings: unwrap(parseGroupMappings(`${POLICE_GROUP}:police:practitioner`)),
        tenantId: TENANT,
        areaId: area.id,
        actor: { aadObjectId: 'system', displayName: 'Sync', tenantId: TENANT },
      });

    groupMembers = [
      { id: 'c0000000-0000-4000-8000-000000000001', displayName: 'Dana Invented' },
      { id: 'c0000000-0000-4000-8000-000000000002', displayName: 'Lee Notreal' },
    ];
    expect(unwrap(await sync())).toMatchObject({ added: 2, deactivated: 0 });
    // A second run with nothing changed writes nothing.
    expect(unwrap(await sync())).toMatchObject({ added: 0, updated: 0, deactivated: 0 });

    groupMembers = [{ id: 'c0000000-0000-4000-8000-000000000001', displayName: 'Dana Invented-Renamed' }];
    expect(unwrap(await sync())).toMatchObject({ added: 0, updated: 1, deactivated: 1 });

    const all = await store.repos.members.listMembers(area.id, { includeInactive: true });
    const byName = Object.fromEntries(all.map((m) => [m.displayName, m.active]));
    expect(byName).toEqual({ 'Dana Invented-Renamed': true, 'Lee Notreal': false, 'Manual Person': true });
  });
});
