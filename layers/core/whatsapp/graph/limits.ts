/**
 * Every limit the Cloud API enforces on what we send, named once. Source: Meta's Cloud API
 * reference ("Messages": text, interactive reply buttons and list objects, media, reactions),
 * as summarised in FACTS.md "Sending (Graph API)".
 *
 * Lengths are measured in UTF-16 code units (`String#length`), which is never less than the
 * count of characters Meta applies: a payload that passes here passes at Meta, and an emoji
 * costs two units, never one too few.
 */

/** `text.body`. */
export const TEXT_BODY_MAX = 4096;

/** Interactive reply buttons: at most three buttons. */
export const REPLY_BUTTONS_MAX = 3;
export const BUTTON_TITLE_MAX = 20;
export const BUTTON_ID_MAX = 256;
/** Body of a reply-buttons message (a list's body may be longer: `LIST_BODY_MAX`). */
export const BUTTON_BODY_MAX = 1024;
/** Text header and footer of any interactive message. */
export const HEADER_TEXT_MAX = 60;
export const FOOTER_TEXT_MAX = 60;

/** Interactive list. The row limit is over all sections together, not per section. */
export const LIST_BODY_MAX = 4096;
export const LIST_SECTIONS_MAX = 10;
export const LIST_ROWS_MAX = 10;
export const LIST_BUTTON_LABEL_MAX = 20;
export const LIST_SECTION_TITLE_MAX = 24;
export const LIST_ROW_TITLE_MAX = 24;
export const LIST_ROW_DESCRIPTION_MAX = 72;
export const LIST_ROW_ID_MAX = 200;

/** Caption of an image, video or document. */
export const MEDIA_CAPTION_MAX = 1024;

/** Template names: lowercase letters, digits and underscores, at most 512 characters. */
export const TEMPLATE_NAME_MAX = 512;

/** Each user message opens or resets a 24 h window; outside it only templates may be sent. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The largest media a user can send (Meta's "Supported media types": audio 16 MB, images 5 MB). Larger
 * files are refused before download; 5 MB is also the largest image Anthropic accepts.
 */
export const AUDIO_MAX_BYTES = 16 * 1024 * 1024;
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/** A media URL from `GET /{media_id}` is valid for five minutes; then ask for a fresh one. */
export const MEDIA_URL_TTL_MS = 5 * 60 * 1000;

/** Meta throttles messages to one user at roughly one per six seconds (error 131056). */
export const PAIR_RATE_LIMIT_DELAY_MS = 6_000;
