import type { ExpenseCategory, Language } from './types';

const words = (list: string): readonly string[] => list.split(' ');

/** Folded keywords, singular; a trailing "s"/"es" is tried off before lookup. */
const KEYWORDS: Readonly<Record<Exclude<ExpenseCategory, 'other'>, readonly string[]>> = {
  food: words(
    'comida almuerzo almorzar almorce desayuno desayune cena cene onces cafe tinto restaurante pizza hamburguesa empanada arepa ' +
      'helado postre pan panaderia domicilio rappi snack food lunch breakfast brunch dinner coffee restaurant ' +
      'burger sandwich takeout starbucks meal sushi taco',
  ),
  transport: words(
    'transporte taxi uber didi cabify bus buseta metro transmilenio gasolina combustible peaje parqueadero ' +
      'estacionamiento parqueo vuelo avion tren pasaje transport lyft subway train fuel petrol parking toll ' +
      'flight fare',
  ),
  groceries: words(
    'mercado supermercado super viveres verdura fruta abarrote tienda groceries grocery supermarket walmart ' +
      'costco vegetable',
  ),
  utilities: words(
    'servicio luz agua energia internet wifi celular telefono utilities utility electricity water phone heating',
  ),
  rent: words('arriendo alquiler renta hipoteca administracion rent mortgage lease'),
  health: words(
    'salud medico doctor farmacia drogueria medicina medicamento pastilla dentista odontologo consulta examen ' +
      'hospital clinica eps gimnasio health pharmacy medicine dentist clinic gym therapy terapia vitamina vitamin',
  ),
  entertainment: words(
    'entretenimiento cine pelicula netflix spotify disney concierto teatro juego videojuego fiesta rumba bar ' +
      'cerveza trago entertainment movie cinema concert theater game party beer drink streaming hbo',
  ),
  shopping: words(
    'compra ropa zapato tenis camisa pantalon regalo amazon mercadolibre shopping clothe clothing shoe shirt ' +
      'gift jacket chaqueta',
  ),
};

const BY_WORD = new Map<string, ExpenseCategory>(
  Object.entries(KEYWORDS).flatMap(([category, words]) =>
    words.map((word): [string, ExpenseCategory] => [word, category as ExpenseCategory]),
  ),
);

/** "gas" heats a home in Spanish and fills a car in American English. */
const GAS: Readonly<Record<Language, ExpenseCategory>> = { es: 'utilities', en: 'transport' };

const categoryOfWord = (word: string, language: Language): ExpenseCategory | undefined => {
  if (word === 'gas') return GAS[language];
  return BY_WORD.get(word) ?? BY_WORD.get(word.replace(/s$/, '')) ?? BY_WORD.get(word.replace(/es$/, ''));
};

/** The first word of the (folded) text that belongs to a category. */
export const findCategory = (folded: string, language: Language): ExpenseCategory | undefined => {
  for (const word of folded.split(/[^a-z]+/)) {
    const category = categoryOfWord(word, language);
    if (category !== undefined) return category;
  }
  return undefined;
};
