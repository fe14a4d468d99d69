import type { Language } from './types';

// Function words and the vocabulary of this assistant's own domain; words both languages share
// ("a", "no", "me", "tv") are left out so they cannot tip the balance.
const SPANISH = new Set(
  (
    'el la los las lo le les de del que y en un una unos unas por para con sin mi mis tu tus su sus es son ' +
    'esta este estos estas eso esto hoy manana ayer semana mes ano pasado pasada proximo proxima cada todos ' +
    'todas dia dias hora horas minutos recuerdame recordame recordarme recuerda recuerdes acuerdate avisame ' +
    'gaste gasto gastos gastado pague compre cuanto cuanta cuando donde quien cual como tengo tienes hay ' +
    'hola gracias buenos buenas tardes noches agenda agendar cita citas reunion cancela cancelar borra ' +
    'elimina quiero hablar persona humano ayuda lunes martes miercoles jueves viernes sabado domingo mil ' +
    'millones pesos dolares llamar pagar comprar tomar enviar mandar recordatorio recordatorios almuerzo ' +
    'comida cena arriendo hermana hermano mama papa cumple cumpleanos tambien pero muy ya'
  ).split(' '),
);

const ENGLISH = new Set(
  (
    'the to my at on in is it of and or what whats how much did do does i im you your me remind remember ' +
    'reminder reminders tomorrow today yesterday week month year last next this every day days hour hours ' +
    'minutes hi hello hey thanks thank please cancel delete schedule meeting with for about that calendar ' +
    'expense expenses spent spend paid bought talk human person help monday tuesday wednesday thursday ' +
    'friday saturday sunday call send pay buy take morning afternoon evening night lunch dinner coffee ' +
    'sister brother mom dad birthday when where who which have has am pm was are be an'
  ).split(' '),
);

const SPANISH_MARKS = /[ñáéíóú¿¡]/giu;

/** The message's language by vote; a tie (emoji, numbers, "ok") goes to the user's preference. */
export const detectLanguage = (text: string, folded: string, preferred: Language): Language => {
  let spanish = (text.match(SPANISH_MARKS) ?? []).length;
  let english = 0;
  for (const word of folded.split(/[^a-z']+/)) {
    const bare = word.replace(/'/g, '');
    if (SPANISH.has(bare)) spanish += 1;
    if (ENGLISH.has(bare)) english += 1;
  }
  if (spanish === english) return preferred;
  return spanish > english ? 'es' : 'en';
};
