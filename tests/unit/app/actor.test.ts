import { actorOf } from '../../../src/app/shared/actor';
import type { Principal } from '../../../src/domain/policy';

const TENANT = '11111111-1111-4111-8111-111111111111';
const OID = '22222222-2222-4222-8222-222222222222';

describe('actorOf', () => {
  it("records the Entra ids and the member's name", () => {
    const principal: Principal = {
      tenantId: TENANT,
      aadObjectId: OID,
      member: {
        tenantId: TENANT,
        aadObjectId: OID,
        areaId: 'cheshire',
        displayName: 'Ada Fictional',
        agencyId: 'probation',
        roles: ['practitioner'],
        active: true,
        version: 1,
      },
    };
    expect(actorOf(principal)).toEqual({ aadObjectId: OID, tenantId: TENANT, displayName: 'Ada Fictional' });
  });

  it("names someone not enrolled 'Unknown', never anything from card data", () => {
    expect(actorOf({ tenantId: TENANT, aadObjectId: OID, member: null })).toEqual({
      aadObjectId: OID,
      tenantId: TENANT,
      displayName: 'Unknown',
    });
  });
});
