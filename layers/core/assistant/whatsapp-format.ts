/**
 * Models write CommonMark; WhatsApp renders its own subset (*bold*, _italic_, ~strike~,
 * ```mono```, "• " bullets) and shows the rest literally. Convert the common cases.
 */
export const toWhatsAppMarkdown = (text: string): string =>
  text
    .replace(/\r\n/g, '\n')
    .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/__(.+?)__/g, '_$1_')
    .replace(/~~(.+?)~~/g, '~$1~')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '$1 ($2)')
    .replace(/^\s*[-*]\s+/gm, '• ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
