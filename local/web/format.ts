const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);

/**
 * A marker pair as WhatsApp applies it: the opening marker is not glued to a letter or digit
 * before it, the closing one not to a letter or digit after it, and neither touches a space on
 * the inside (`2*3*4` stays as typed, `*bold*` does not). One line at most.
 */
const pair = (marker: string) => {
  // Unicode-mode patterns reject needless escapes: only `*` needs one.
  const m = marker === '*' ? '\\*' : marker;
  return new RegExp(
    `(?<![\\p{L}\\p{N}${m}])${m}(?=[^\\s${m}])([^\\n]*?[^\\s${m}]|[^\\s${m}])${m}(?![\\p{L}\\p{N}${m}])`,
    'gu',
  );
};

const INLINE: [RegExp, string][] = [
  [pair('*'), 'strong'],
  [pair('_'), 'em'],
  [pair('~'), 's'],
];

const CODE_BLOCK = /```([\s\S]+?)```/g;
const INLINE_CODE = /(?<![\p{L}\p{N}`])`([^`\n]+)`(?![\p{L}\p{N}`])/gu;

const inline = (html: string): string =>
  html
    .split(INLINE_CODE)
    // split() with one capture group alternates plain text and code.
    .map((part, index) =>
      index % 2 === 1
        ? `<code>${part}</code>`
        : INLINE.reduce((text, [pattern, tag]) => text.replace(pattern, `<${tag}>$1</${tag}>`), part),
    )
    .join('');

/**
 * WhatsApp's formatting as HTML: *bold*, _italic_, ~strike~, ```monospace``` and `inline code`.
 * The text is escaped first, so only the tags added here can ever reach the DOM. Line breaks
 * are kept by the bubble's `white-space: pre-wrap`.
 */
export const whatsappHtml = (text: string): string =>
  escapeHtml(text)
    .split(CODE_BLOCK)
    .map((part, index) => (index % 2 === 1 ? `<code class="mono">${part}</code>` : inline(part)))
    .join('');
