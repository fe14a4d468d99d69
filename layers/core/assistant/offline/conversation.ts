import { cut, type Masked } from './text';

const phrasesAtStart = (phrases: readonly string[]): RegExp =>
  new RegExp(String.raw`^[\s\p{P}]*(?:${phrases.join('|')})(?![a-z0-9])[\s\p{P}]*`, 'u');

const GREETING = phrasesAtStart([
  'hola+s?',
  'holi+s?',
  'ola',
  'buen(?:os|as)? (?:dias|tardes|noches)',
  'buen dia',
  'buenas',
  'que (?:mas|tal|hubo|onda)',
  'quiubo',
  'como (?:estas|esta|vas|va)',
  'saludos',
  'hey+',
  'hi+',
  'hello+',
  'howdy',
  'hiya',
  'good (?:morning|afternoon|evening)',
  "what'?s up",
  'how are you',
  "how'?s it going",
]);

const THANKS = phrasesAtStart([
  '(?:muchas |mil |muchisimas )?gracias(?: (?:de nuevo|otra vez|por todo|mil))?',
  'te lo agradezco',
  '(?:thank you|thanks|thank|thx|tysm|ty|cheers)(?: (?:so much|a lot|again|very much))?',
  'ok(?:ay|a|is)?',
  'vale',
  'dale',
  'listo',
  'perfecto',
  'genial',
  'excelente',
  'chevere',
  'great',
  'perfect',
  'cool',
  'awesome',
  'nice',
  'got it',
  'entendido',
]);

/** Who the message is addressed to, when it opens with that. */
const ADDRESS = phrasesAtStart(['chasqui', 'bot', 'amigo', 'amiga', 'there']);

export type Pleasantry = 'greeting' | 'thanks';

/**
 * Cut greetings and thanks off the front ("hola!", "ok gracias,"), so "hola, recuérdame …" is a
 * reminder, and remember which ones were there for a message that is nothing else.
 */
export const stripPleasantries = (masked: Masked): { masked: Masked; pleasantry?: Pleasantry } => {
  let current = masked;
  let pleasantry: Pleasantry | undefined;
  for (;;) {
    const greeting = GREETING.exec(current.folded) ?? ADDRESS.exec(current.folded);
    const thanks = greeting === null ? THANKS.exec(current.folded) : null;
    const match = greeting ?? thanks;
    if (match === null || match[0].length === 0)
      return { masked: current, ...(pleasantry ? { pleasantry } : {}) };
    if (thanks !== null) pleasantry = 'thanks';
    else pleasantry ??= 'greeting';
    current = cut(current, 0, match[0].length);
  }
};

const HELP =
  /\b(?:ayuda|help|que (?:puedes|sabes) hacer|como (?:funciona|funcionas|te uso|se usa)|what can you do|how does (?:this|it) work|how do i use (?:this|you)|menu|comandos|commands|opciones|instrucciones|instructions)\b/;

export const asksForHelp = (masked: Masked): boolean => HELP.test(masked.folded);

const HANDOFF_VERB_AND_PERSON =
  /\b(?:hablar|habla|hablo|comunica(?:r|rme|s)?|pasa(?:r|rme|me|s)?|contactar|talk|speak|chat|connect me|transfer me|put me through)\b.{0,40}\b(?:persona|humano|humana|agente|asesor|asesora|operador|operadora|ser humano|alguien|human|person|agent|representative|operator|support|soporte)\b/;

const HANDOFF_ALONE =
  /^[\s\p{P}]*(?:(?:quiero|necesito|i want|i need)\s+)?(?:(?:un|una|a|an)\s+)?(?:persona real|ser humano|humano|agente|asesor|operador|human|agent|real person|representative|operator|customer service|servicio al cliente)(?:\s+(?:por favor|please))?[\s\p{P}]*$/u;

/** "quiero hablar con una persona", "talk to a human", "agente". */
export const asksForHuman = (masked: Masked): boolean =>
  HANDOFF_VERB_AND_PERSON.test(masked.folded) || HANDOFF_ALONE.test(masked.folded);
