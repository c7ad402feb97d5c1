import type { CommandHandler } from '../capability';
import { REFERRAL_DIALOG_ID, referDialogOptions } from './dialog/referral.dialog';

/** `refer …`: starts or carries on a MAPPA A referral walk in personal chat. */
export const referCommand: CommandHandler = (h, args) => h.beginDialog(REFERRAL_DIALOG_ID, referDialogOptions(args));
