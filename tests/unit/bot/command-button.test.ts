import { readCommandButton } from '../../../src/bot/command-button';

describe('a command button arrives as the command typed', () => {
  it('turns an Action.Submit of { command } into the text of the message', () => {
    const activity = { type: 'message', text: '', value: { command: 'refer new Amy Fictional' } };
    readCommandButton(activity);
    expect(activity).toEqual({ type: 'message', text: 'refer new Amy Fictional', value: undefined });
  });

  it('leaves typed text, card verbs and other activities alone', () => {
    const typed = { type: 'message', text: 'help', value: { command: 'erase MAPPA-2016-0007' } };
    readCommandButton(typed);
    expect(typed.text).toBe('help');
    const verb = { type: 'message', value: { verb: 'referral.save', command: 'x' } };
    readCommandButton(verb);
    expect(verb).toEqual({ type: 'message', value: { verb: 'referral.save', command: 'x' } });
    // Text that is not text is bad input for the router to answer, not something to read here.
    const odd = { type: 'message', text: 42 as unknown as string, value: { command: 'notify' } };
    readCommandButton(odd);
    expect(odd.text).toBe(42);
    const invoke = { type: 'invoke', value: { command: 'notify' } };
    readCommandButton(invoke);
    expect(invoke).toEqual({ type: 'invoke', value: { command: 'notify' } });
  });
});
