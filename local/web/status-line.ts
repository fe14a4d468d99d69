import { byId } from './dom';

/** Meta clears the typing indicator after 25 s if no reply comes (FACTS.md "Sending"). */
const TYPING_MAX_MS = 25_000;

/** The alert line above the composer: errors the user should see, never silently dropped. */
export const notice = () => {
  const line = byId('notice', HTMLParagraphElement);
  return {
    show: (text: string): void => {
      line.textContent = text;
      line.hidden = false;
    },
    /** Hides the alert if it still says `text`, so a newer message is not cleared by an old cause. */
    clear: (text: string): void => {
      if (line.textContent === text) line.hidden = true;
    },
  };
};

/** "typing…" under the contact name, as WhatsApp shows it. */
export const typingIndicator = () => {
  const label = byId('typing', HTMLSpanElement);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const set = (on: boolean): void => {
    clearTimeout(timer);
    label.hidden = !on;
    if (on) timer = setTimeout(() => set(false), TYPING_MAX_MS);
  };
  return set;
};
