import { FILLER, cutAll, remainder, type Masked } from './text';
import type { Intent } from './types';

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
  /^[\s¿¡]*(?:te acuerdas (?:de )?|recuerdas (?:que )?|sabes (?:que )?|que sabes (?:de |sobre )?|que recuerdas (?:del? |sobre )?|do you remember |do you know |what do you know about |what do you remember about |do you recall )/;

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

/**
 * "olvida mi dirección", "olvídate de lo del gimnasio", "forget my address", "forget that I like jazz".
 * The verb must open the message: "no olvides que …" and "don't forget …" ask to remember.
 */
const FORGET =
  /^[\s\p{P}]*(?:olvidate|olvida|olvidar|forget)(?:\s+(?:de que|de lo de|lo de|de|que|about|that))?(?![\p{L}\p{N}])/u;

/** "forget it", "olvídate de eso": a turn of phrase, not something remembered. */
const NOTHING_IN_PARTICULAR = /^(?:it|that|this|everything|all|eso|esto|todo|nada)$/;

export const planForget = (masked: Masked): Intent | undefined => {
  const polite = cutAll(masked, FILLER);
  const verb = FORGET.exec(polite.folded);
  if (verb === null) return undefined;
  const end = verb[0].length;
  const query = remainder(
    { original: polite.original.slice(end), folded: polite.folded.slice(end) },
    NO_EDGES,
  );
  if (query === '' || NOTHING_IN_PARTICULAR.test(query.toLowerCase())) return undefined;
  return { kind: 'forget_memory', query };
};

/** "¿qué recuerdas de mí?", "qué sabes de mí", "what do you remember about me?", "my memories". */
const LIST_MEMORIES = new RegExp(
  String.raw`^(?:(?:y )?que (?:mas |cosas )?(?:recuerdas|sabes|te acuerdas|has guardado|guardaste)(?: (?:de|sobre) mi)?` +
    String.raw`|(?:muestrame |dime |ver |lista )?(?:mis recuerdos|lo que (?:recuerdas|sabes) de mi)` +
    String.raw`|what (?:else )?do you (?:remember|know) about me|what have i told you(?: about me)?` +
    String.raw`|(?:show|list)(?: me)? (?:my memories|what you remember)|my memories)$`,
);

export const asksForMemories = (masked: Masked): boolean =>
  LIST_MEMORIES.test(masked.folded.replace(/[\s\p{P}]+/gu, ' ').trim());
