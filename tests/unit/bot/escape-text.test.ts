import { escapeTagLikeText } from '../../../src/bot/cards/escape-text';

describe('escaping tag-like placeholders in message text', () => {
  it('keeps the words of a placeholder Teams would drop as an HTML tag', () => {
    expect(escapeTagLikeText('type **erase <case ref>**')).toBe('type **erase &lt;case ref&gt;**');
    expect(escapeTagLikeText('<b>x</b>')).toBe('&lt;b&gt;x&lt;/b&gt;');
  });

  it('leaves mentions, comparisons and arrows alone', () => {
    expect(escapeTagLikeText('<at>Morgan Reyes</at> hello')).toBe('<at>Morgan Reyes</at> hello');
    expect(escapeTagLikeText('RoSH 3 < 4 and 5 > 2 -> ok')).toBe('RoSH 3 < 4 and 5 > 2 -> ok');
  });
});
