import { actionCardData } from './action.card';
import { extensionCardData, staleExtensionLead } from './channel';
import type { HandlerContext } from '../handler-context';
import type { CardFor } from './run-update';

const STALE = 'This action changed since that card was shown, so nothing was saved. Here it is as it stands';
/** Promises the typed text only when there is some: the card shows it in the form or under "What you typed". */
const staleActionLead = (typed?: Record<string, string>): string =>
  typed && Object.values(typed).some((x) => x.trim() !== '') ? `${STALE}; what you typed is kept below.` : `${STALE}.`;

/** The owner's action card (personal chat). */
export function actionCard(h: HandlerContext): CardFor {
  const render: CardFor = Object.assign(
    (v: Parameters<CardFor>[0], o: Parameters<CardFor>[1]) =>
      h.card(
        'action',
        actionCardData(v, {
          ...(o.lead ? { lead: o.lead } : o.stale ? { lead: staleActionLead(o.typed) } : {}),
          ...(o.typed ? { values: o.typed } : {}),
          ...(o.errors ? { errors: o.errors } : {}),
          ...(o.formError ? { formError: o.formError } : {}),
        }),
      ),
    {
      offline: (p: Parameters<CardFor['offline']>[0], message: string) =>
        h.card('action', {
          actionId: p.actionId || 'unknown',
          version: p.version,
          title: 'Action update not saved',
          lead: '',
          statusLine: message,
          statusUrgent: true,
          text: '',
          facts: [],
          history: [],
          canUpdate: true,
          readOnlyNote: '',
          today: '',
          values: p.typed,
          errors: { note: '', dueDate: '', reason: '' },
          formError: message,
          kept: [],
        }),
    },
  );
  return render;
}

/** The co-ordinator's extension card: the clicker's own view, so the details stay (they may decide). */
export function extensionCard(h: HandlerContext): CardFor {
  return Object.assign(
    (v: Parameters<CardFor>[0], o: Parameters<CardFor>[1]) =>
      h.card(
        'action-extension',
        extensionCardData(v, {
          showDetail: v.mayDecide,
          ...(o.typed ? { values: { dueDate: o.typed.dueDate, reason: o.typed.reason } } : {}),
          ...(o.errors ? { errors: o.errors } : {}),
          ...(o.lead
            ? { lead: o.lead }
            : o.stale
              ? { lead: staleExtensionLead(v, { dueDate: o.typed?.dueDate ?? '', reason: o.typed?.reason ?? '' }) }
              : {}),
          ...(o.formError ? { formError: o.formError } : {}),
        }),
      ),
    {
      offline: (p: Parameters<CardFor['offline']>[0], message: string) =>
        h.card('action-extension', {
          actionId: p.actionId || 'unknown',
          version: p.version,
          refreshUserIds: [],
          lead: '',
          title: 'Extension decision not saved',
          statusLine: message,
          facts: [],
          decided: false,
          showDetail: false,
          detail: [],
          today: '',
          values: { dueDate: p.typed.dueDate, reason: p.typed.reason },
          errors: { dueDate: '', reason: '' },
          formError: message,
          kept: [],
        }),
    },
  );
}
