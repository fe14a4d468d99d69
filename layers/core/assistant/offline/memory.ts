import { FILLER, cutAll, remainder, type Masked } from './text';

const REMEMBER_VERBS =
  "recuerda|recordar|acuerdate|no olvides|no te olvides|ten en cuenta|toma nota|anota|apunta|guarda|memoriza|remember|don'?t forget|keep in mind|take note|note|save|memorize";

/**
 * "recuerda que …", "remember that …", "anota: …": a fact to keep. Checked before reminders, so
 * "recuerda que" never becomes "recuérdame" — the two differ by one word and mean different things.
 */
export const REMEMBER_THAT = new RegExp(
  String.raw`\b(?:${REMEMBER_VERBS})(?:\s+(?:que|de que|that|this)\b|\s*:)`,
);

const NO_EDGES = { leading: new Set<string>(), trailing: new Set<string>() };

/** What follows the trigger, as the user wrote it. */
export const contentAfter = (masked: Masked, trigger: RegExpExecArray): string => {
  const end = trigger.index + trigger[0].length;
  const after = { original: masked.original.slice(end), folded: masked.folded.slice(end) };
  return remainder(after, NO_EDGES);
};

/** Openings that only announce a question about what the assistant remembers. */
const QUESTION_LEAD_IN =
  /^\s*(?:te acuerdas (?:de )?|recuerdas (?:que )?|sabes (?:que )?|que sabes (?:de |sobre )?|do you remember |do you know |what do you know about |do you recall )/;

const QUESTION_START =
  /^\s*(?:que|cual|cuales|cuando|donde|quien|quienes|como|cuanto|cuanta|cuantos|cuantas|what|what's|whats|when|where|who|whom|which|how|do you|did i|is|are|was|were|does|te acuerdas|recuerdas|sabes)\b/;

export const isQuestion = (masked: Masked): boolean =>
  masked.original.includes('?') || QUESTION_START.test(masked.folded);

/** The question as the user wrote it, without "¿…?" or an opening like "do you remember". */
export const memoryQuery = (masked: Masked): string => {
  const lead = QUESTION_LEAD_IN.exec(masked.folded);
  const start = lead === null ? 0 : lead[0].length;
  const question = cutAll(
    { original: masked.original.slice(start), folded: masked.folded.slice(start) },
    FILLER,
  );
  return remainder(question, NO_EDGES);
};
