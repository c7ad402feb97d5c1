import type { CommandHandler } from '../capability';
// Not from referral.dialog itself: that module (and botbuilder-dialogs) loads when a dialog is first needed.
import { referDialogOptions } from './dialog/opening';
import { REFERRAL_DIALOG_ID } from './dialog/walk';

/** `refer …`: starts or carries on a MAPPA A referral walk in personal chat. */
export const referCommand: CommandHandler = (h, args) => h.beginDialog(REFERRAL_DIALOG_ID, referDialogOptions(args));
