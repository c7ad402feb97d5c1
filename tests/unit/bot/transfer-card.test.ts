import { cardRendererFor } from '../../../src/bot/handler-context';
import { transferAnsweredCard, transferCard, transferWithdrawnCard } from '../../../src/bot/transfer';
import { Transfer, type Role } from '../../../src/domain';
import type { Principal } from '../../../src/domain/policy';
import { aMember, TENANT_ID } from '../../fixtures/builders';

const card = cardRendererFor('OFFICIAL-SENSITIVE');

const t = Transfer.parse({
  id: 'transfer-1',
  mode: 'local',
  caseId: 'case-1',
  caseRef: 'MAPPA-2026-0042',
  fromAreaId: 'area-north',
  toAreaId: 'area-south',
  state: 'pending',
  requestedBy: { aadObjectId: 'sender-1', displayName: 'Invented Sender' },
  requestedAt: '2026-03-02T09:00:00.000Z',
  version: 0,
  package: {
    format: 'mappa-transfer',
    version: 2,
    transferId: 'transfer-1',
    createdAt: '2026-03-02T09:00:00.000Z',
    expiresAt: '2026-03-30T09:00:00.000Z',
    from: { areaId: 'area-north', areaName: 'Invented North' },
    to: { areaId: 'area-south' },
    case: {
      id: 'case-1',
      ref: 'MAPPA-2026-0042',
      jurisdiction: 'england-wales',
      status: 'managed_l2',
      level: 2,
      category: 'cat2',
      leadAgencyId: 'probation',
      keyDates: {},
    },
    openActions: [
      {
        id: 'a1',
        text: 'Home visit with Invented Officer',
        ownerName: 'Invented Officer',
        ownerAgencyId: 'police',
        dueDate: '2026-03-20',
        pillar: 'supervision',
        status: 'open',
      },
    ],
    latestApprovedMinutes: null,
    decisions: [
      {
        id: 'd1',
        kind: 'level',
        from: null,
        to: 2,
        actor: { aadObjectId: 'chair-1', displayName: 'Invented Chair' },
        decidedAt: '2026-01-13T10:00:00.000Z',
        rationale: 'Invented rationale',
        source: { type: 'meeting', id: 'm1' },
      },
    ],
  },
});

const who = (areaId: string, roles: Role[] = ['coordinator']): Principal => ({
  tenantId: TENANT_ID,
  aadObjectId: `aad-${areaId}-${roles[0]}`,
  member: aMember({ aadObjectId: `aad-${areaId}-${roles[0]}`, areaId, roles }),
});

describe('the hand-over card', () => {
  it('shows counts only on the channel copy, with no buttons', () => {
    const json = JSON.stringify(transferCard(card, t, { viewer: null, refreshUserIds: ['29:x'] }));
    expect(json).toContain('MAPPA-2026-0042');
    expect(json).toContain('"Open actions","value":"1"');
    expect(json).not.toContain('Home visit');
    expect(json).not.toContain('transfer.accept');
  });

  it("gives the receiving co-ordinator's refresh the details and the Accept / Decline buttons", () => {
    const json = JSON.stringify(transferCard(card, t, { viewer: who('area-south'), refreshUserIds: [] }));
    expect(json).toContain('Home visit');
    expect(json).toContain('transfer.accept');
    expect(json).toContain('transfer.decline');
  });

  it('keeps the details from the sender, a practitioner of the receiving area and anyone else', () => {
    for (const viewer of [who('area-north'), who('area-south', ['practitioner']), who('area-east')]) {
      const json = JSON.stringify(transferCard(card, t, { viewer, refreshUserIds: [] }));
      expect(json).not.toContain('Home visit');
      expect(json).not.toContain('transfer.accept');
    }
  });

  it('shows reference, level, category, lead agency and dates on the channel copy, and no names anywhere', () => {
    const imported = Transfer.parse({ ...t, mode: 'import' });
    const channel = JSON.stringify(transferCard(card, imported, { viewer: null, refreshUserIds: [] }));
    for (const shown of [
      'MAPPA-2026-0042',
      '"Level 2"',
      'Category 2',
      '"Probation Service"',
      '2 Mar 2026',
      '30 Mar 2026',
    ])
      expect(channel).toContain(shown);
    const receiver = JSON.stringify(transferCard(card, imported, { viewer: who('area-south'), refreshUserIds: [] }));
    for (const json of [channel, receiver]) {
      expect(json).not.toContain('Invented Chair');
      expect(json).not.toContain('Invented Sender');
      expect(json).not.toContain('Invented Officer"');
    }
  });
  it("shows the sending area's channel an export accepted by receipt: state, receiving area, new reference and date, no buttons", () => {
    const exported = Transfer.parse({
      ...t,
      mode: 'export',
      toAreaId: 'area-west',
      state: 'accepted',
      receivingRef: 'MAPPA-2026-0101',
      decidedAt: '2026-03-04T10:00:00.000Z',
      decidedBy: { aadObjectId: 'admin-1', displayName: 'area-west (signed receipt)' },
    });
    const json = JSON.stringify(transferAnsweredCard(card, exported));
    expect(json).toContain('"type":"AdaptiveCard"');
    expect(json).toContain('Accepted: the receiving area is now responsible');
    expect(json).toContain('"title":"Responsible now","value":"area-west"');
    expect(json).toContain('"title":"New reference","value":"MAPPA-2026-0101"');
    expect(json).toContain('"title":"Answered","value":"4 Mar 2026"');
    expect(json).toContain('OFFICIAL-SENSITIVE');
    for (const hidden of ['transfer.accept', 'Home visit', 'Invented Sender', 'Invented Chair', 'Invented Officer"'])
      expect(json).not.toContain(hidden);
  });

  it('tells the sending area of a local answer, and of a declined export, in a notice', () => {
    const declined = Transfer.parse({
      ...t,
      mode: 'export',
      state: 'declined',
      declineReason: 'Invented reason',
      decidedAt: '2026-03-04T10:00:00.000Z',
    });
    const json = JSON.stringify(transferAnsweredCard(card, declined));
    expect(json).toContain('declined the transfer of MAPPA-2026-0042');
    expect(json).toContain('Invented reason');
  });

  it('names the responsible area by its name, not its id', () => {
    const names = { 'area-south': 'Invented South MAPPA area' };
    const pending = JSON.stringify(transferCard(card, t, { viewer: null, refreshUserIds: [], areaNames: names }));
    expect(pending).toContain('"title":"Responsible now","value":"Invented North"');
    const accepted = Transfer.parse({
      ...t,
      state: 'accepted',
      receivingRef: 'MAPPA-2026-0042',
      decidedAt: '2026-03-04T10:00:00.000Z',
    });
    const json = JSON.stringify(transferCard(card, accepted, { viewer: null, refreshUserIds: [], areaNames: names }));
    expect(json).toContain('"title":"Responsible now","value":"Invented South MAPPA area"');
    expect(json).not.toContain('"value":"area-south"');
    const notice = JSON.stringify(transferAnsweredCard(card, accepted, names));
    expect(notice).toContain('Invented South MAPPA area accepted the transfer of MAPPA-2026-0042');
  });

  it('shows a withdrawn hand-over without buttons, to the receiving co-ordinator too', () => {
    const withdrawn = Transfer.parse({ ...t, state: 'withdrawn', decidedAt: '2026-03-03T10:00:00.000Z' });
    const json = JSON.stringify(transferCard(card, withdrawn, { viewer: who('area-south'), refreshUserIds: [] }));
    expect(json).toContain('Withdrawn by the sending area');
    expect(json).not.toContain('transfer.accept');
    expect(JSON.stringify(transferWithdrawnCard(card, withdrawn, {}))).toContain(
      'withdrew the transfer of MAPPA-2026-0042',
    );
  });
});
