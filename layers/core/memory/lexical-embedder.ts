import type { Embedder, EmbeddingDimensions, SimilarityScale } from '../ports/embedder';
import { DEFAULT_EMBEDDING_DIMENSIONS } from '../ports/embedder';
import { contentTokens, isNumber, numberForms } from './terms';

/**
 * The same thing said in either language, or with a common synonym, for the topics people ask a
 * personal assistant to remember. Folded forms on the left; the shared concept on the right. Small on
 * purpose: it bridges "cumpleaños" and "birthday", it does not try to be a thesaurus.
 */
const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  birthday: ['birthday', 'birthdays', 'bday', 'cumpleanos', 'cumple', 'born', 'nacio', 'naci', 'nacimiento'],
  anniversary: ['anniversary', 'aniversario'],
  sister: ['sister', 'hermana'],
  brother: ['brother', 'hermano'],
  mother: ['mother', 'mom', 'mum', 'mama', 'madre'],
  father: ['father', 'dad', 'papa', 'padre'],
  son: ['son', 'hijo'],
  daughter: ['daughter', 'hija'],
  wife: ['wife', 'esposa'],
  husband: ['husband', 'esposo', 'marido'],
  partner: ['partner', 'girlfriend', 'boyfriend', 'novia', 'novio', 'pareja'],
  grandmother: ['grandmother', 'grandma', 'abuela'],
  grandfather: ['grandfather', 'grandpa', 'abuelo'],
  friend: ['friend', 'amigo', 'amiga'],
  boss: ['boss', 'manager', 'jefe', 'jefa'],
  address: ['address', 'direccion', 'domicilio'],
  phone: ['phone', 'cellphone', 'mobile', 'telefono', 'celular', 'movil'],
  email: ['email', 'mail', 'correo'],
  allergy: ['allergy', 'allergic', 'alergia', 'alergico', 'alergica'],
  doctor: ['doctor', 'doctora', 'medico', 'medica', 'physician'],
  dentist: ['dentist', 'dentista', 'odontologo', 'odontologa'],
  medicine: ['medicine', 'medication', 'pill', 'pills', 'medicina', 'medicamento', 'pastilla', 'pastillas'],
  coffee: ['coffee', 'cafe', 'latte', 'espresso', 'cappuccino', 'capuchino', 'tinto'],
  car: ['car', 'carro', 'auto', 'coche', 'vehiculo', 'vehicle'],
  parking: ['parking', 'parked', 'park', 'parqueadero', 'estacionamiento', 'parquee', 'estacione'],
  dog: ['dog', 'perro', 'perrita', 'perrito', 'perra'],
  cat: ['cat', 'gato', 'gata', 'gatito'],
  call: ['call', 'calls', 'calling', 'llamada', 'llamadas', 'llamar', 'llamame', 'llamen'],
  meeting: ['meeting', 'reunion', 'reuniones', 'junta'],
  work: ['work', 'job', 'office', 'trabajo', 'oficina', 'empresa'],
  school: ['school', 'colegio', 'escuela'],
  home: ['home', 'house', 'casa', 'hogar'],
  flight: ['flight', 'vuelo', 'plane', 'avion'],
  blood: ['blood', 'sangre'],
  size: ['size', 'talla'],
  shoes: ['shoes', 'shoe', 'zapatos', 'zapato', 'tenis', 'sneakers'],
  gym: ['gym', 'gimnasio'],
  rent: ['rent', 'arriendo', 'alquiler'],
  expense: ['expense', 'expenses', 'spent', 'spend', 'spending', 'paid', 'gasto', 'gastos', 'gaste', 'pague'],
  reminder: ['reminder', 'recordatorio'],
  event: ['event', 'appointment', 'evento', 'cita'],
  favorite: ['favorite', 'favourite', 'favorito', 'favorita', 'preferido', 'preferida'],
  prefer: [
    'prefer',
    'prefers',
    'preference',
    'prefiero',
    'prefiere',
    'preferencia',
    'like',
    'likes',
    'gusta',
  ],
  morning: ['morning', 'mornings', 'madrugada'],
  afternoon: ['afternoon', 'tarde', 'tardes'],
  night: ['night', 'evening', 'noche', 'noches'],
  vegetarian: ['vegetarian', 'vegetariano', 'vegetariana', 'vegan', 'vegano', 'vegana'],
  wifi: ['wifi', 'password', 'contrasena', 'clave'],
  food: ['food', 'comida', 'lunch', 'almuerzo', 'dinner', 'cena', 'breakfast', 'desayuno'],
  wedding: ['wedding', 'boda', 'matrimonio'],
  vacation: ['vacation', 'holiday', 'holidays', 'vacaciones', 'trip', 'viaje'],
  license: ['license', 'licence', 'licencia', 'pase'],
  passport: ['passport', 'pasaporte'],
  insurance: ['insurance', 'seguro', 'poliza'],
  bank: ['bank', 'banco', 'account', 'cuenta'],
  plate: ['plate', 'placa', 'matricula'],
  teacher: ['teacher', 'profesor', 'profesora', 'maestro', 'maestra'],
  neighbor: ['neighbor', 'neighbour', 'vecino', 'vecina'],
};

const CONCEPT_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(CONCEPTS).flatMap(([concept, words]) => words.map((word) => [word, concept] as const)),
);

/** "hermanas" → "hermana", "meetings" → "meeting": enough to look a plural up in the lexicon. */
const conceptOf = (word: string): string | undefined =>
  CONCEPT_OF.get(word) ??
  (word.endsWith('es') ? CONCEPT_OF.get(word.slice(0, -2)) : undefined) ??
  (word.endsWith('s') ? CONCEPT_OF.get(word.slice(0, -1)) : undefined);

const WORD_WEIGHT = 1;
/** A concept shared across languages counts a little less than the very same word. */
const CONCEPT_WEIGHT = 0.9;
const SURFACE_WEIGHT_WITH_CONCEPT = 0.45;
/** The n-grams of one word together weigh this much: morphology ("hermana"/"hermanita") counts, less than the word. */
const NGRAM_BLOCK_WEIGHT = 0.6;
const BIGRAM_WEIGHT = 0.4;
const NGRAM_SIZES = [3, 4] as const;
const MIN_NGRAM_WORD = 4;

/** 32-bit FNV-1a: fast, stable across runs and platforms, and good enough to spread features. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/**
 * An embedder that needs no model, no key and no network, so the local stack and the tests search
 * memory for real. A text becomes a bag of weighted features — its content words (or their shared
 * concept across Spanish and English), adjacent word pairs, character 3- and 4-grams of each word so
 * that "hermana" still meets "hermanas", and amounts in every way they are written — hashed with a sign
 * into `dimensions` buckets and scaled to unit length. Deterministic: the same text always gives the
 * same vector. Lexical, not semantic: it finds shared words and close spellings, not paraphrases.
 */
export class LexicalEmbedder implements Embedder {
  readonly model = 'chasqui-lexical-v1';
  /**
   * Unrelated texts score near 0 here (only hash collisions); one shared content word among a few
   * already gives ≈ 0.2.
   */
  readonly similarity: SimilarityScale = { related: 0.12, duplicate: 0.9 };

  constructor(readonly dimensions: EmbeddingDimensions = DEFAULT_EMBEDDING_DIMENSIONS) {}

  embed(texts: readonly string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((text) => this.vectorOf(text)));
  }

  vectorOf(text: string): number[] {
    const vector = new Float64Array(this.dimensions);
    const add = (feature: string, weight: number): void => {
      const hash = fnv1a(feature);
      // The bits above the bucket index pick the sign, so collisions cancel out on average.
      const sign = Math.floor(hash / this.dimensions) % 2 === 0 ? 1 : -1;
      vector[hash % this.dimensions]! += sign * weight;
    };

    const terms: string[] = [];
    for (const token of contentTokens(text)) {
      if (isNumber(token)) {
        const forms = numberForms(token);
        for (const form of forms) add(`n:${form}`, WORD_WEIGHT / Math.sqrt(forms.length));
        terms.push(`n:${forms.at(-1)}`);
        continue;
      }
      const concept = conceptOf(token);
      if (concept) {
        add(`c:${concept}`, CONCEPT_WEIGHT);
        add(`w:${token}`, SURFACE_WEIGHT_WITH_CONCEPT);
        terms.push(`c:${concept}`);
      } else {
        add(`w:${token}`, WORD_WEIGHT);
        terms.push(`w:${token}`);
      }
      if (token.length >= MIN_NGRAM_WORD) {
        const padded = `<${token}>`;
        const grams: string[] = [];
        for (const size of NGRAM_SIZES)
          for (let start = 0; start + size <= padded.length; start++)
            grams.push(padded.slice(start, start + size));
        for (const gram of grams) add(`g:${gram}`, NGRAM_BLOCK_WEIGHT / Math.sqrt(grams.length));
      }
    }
    for (let index = 1; index < terms.length; index++)
      add(`b:${terms[index - 1]} ${terms[index]}`, BIGRAM_WEIGHT);
    // Only stopwords, or nothing at all: the text itself, so the vector still has a direction.
    if (terms.length === 0) add(`t:${text.trim().toLowerCase()}`, 1);

    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm);
    return Array.from(vector, (value) => value / norm);
  }
}
