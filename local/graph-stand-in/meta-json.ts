/**
 * JSON as Meta serialises webhook bodies: compact, every non-ASCII UTF-16 unit as a lowercase
 * `\uXXXX` escape and `/` as `\/` (`ä` arrives as `\u00e4`, `🎉` as `\ud83c\udf89`). Receivers
 * must hash these exact bytes; a body signed in any other serialisation would hide the bug of
 * re-serialising before verifying.
 */
export const metaJson = (value: unknown): Buffer =>
  Buffer.from(
    JSON.stringify(value)
      .replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(/\//g, '\\/'),
    'utf8',
  );
