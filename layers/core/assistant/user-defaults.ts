import { parsePhoneNumberFromString } from 'libphonenumber-js';

export interface UserDefaults {
  /** ISO 3166-1 alpha-2, when the number tells. */
  country?: string;
  locale: 'es' | 'en';
  timeZone: string;
  currency: string;
}

interface CountryDefaults {
  locale: 'es' | 'en';
  /** The zone most of the country's people live in; a user in another zone can say so. */
  timeZone: string;
  currency: string;
}

/** Chasqui's markets first: Spanish- and English-speaking countries. */
const COUNTRY_DEFAULTS: Record<string, CountryDefaults> = {
  AR: { locale: 'es', timeZone: 'America/Argentina/Buenos_Aires', currency: 'ARS' },
  BO: { locale: 'es', timeZone: 'America/La_Paz', currency: 'BOB' },
  CL: { locale: 'es', timeZone: 'America/Santiago', currency: 'CLP' },
  CO: { locale: 'es', timeZone: 'America/Bogota', currency: 'COP' },
  CR: { locale: 'es', timeZone: 'America/Costa_Rica', currency: 'CRC' },
  CU: { locale: 'es', timeZone: 'America/Havana', currency: 'CUP' },
  DO: { locale: 'es', timeZone: 'America/Santo_Domingo', currency: 'DOP' },
  EC: { locale: 'es', timeZone: 'America/Guayaquil', currency: 'USD' },
  ES: { locale: 'es', timeZone: 'Europe/Madrid', currency: 'EUR' },
  GT: { locale: 'es', timeZone: 'America/Guatemala', currency: 'GTQ' },
  HN: { locale: 'es', timeZone: 'America/Tegucigalpa', currency: 'HNL' },
  MX: { locale: 'es', timeZone: 'America/Mexico_City', currency: 'MXN' },
  NI: { locale: 'es', timeZone: 'America/Managua', currency: 'NIO' },
  PA: { locale: 'es', timeZone: 'America/Panama', currency: 'USD' },
  PE: { locale: 'es', timeZone: 'America/Lima', currency: 'PEN' },
  PR: { locale: 'es', timeZone: 'America/Puerto_Rico', currency: 'USD' },
  PY: { locale: 'es', timeZone: 'America/Asuncion', currency: 'PYG' },
  SV: { locale: 'es', timeZone: 'America/El_Salvador', currency: 'USD' },
  UY: { locale: 'es', timeZone: 'America/Montevideo', currency: 'UYU' },
  VE: { locale: 'es', timeZone: 'America/Caracas', currency: 'VES' },
  AU: { locale: 'en', timeZone: 'Australia/Sydney', currency: 'AUD' },
  CA: { locale: 'en', timeZone: 'America/Toronto', currency: 'CAD' },
  GB: { locale: 'en', timeZone: 'Europe/London', currency: 'GBP' },
  IE: { locale: 'en', timeZone: 'Europe/Dublin', currency: 'EUR' },
  IN: { locale: 'en', timeZone: 'Asia/Kolkata', currency: 'INR' },
  NZ: { locale: 'en', timeZone: 'Pacific/Auckland', currency: 'NZD' },
  US: { locale: 'en', timeZone: 'America/New_York', currency: 'USD' },
};

/**
 * Locale, time zone and currency guessed from the phone number's country. A business-scoped id
 * (`CO.1234…`) carries the country too. Users can override each one later.
 */
export const defaultsFor = (
  identity: { waId?: string; bsuid?: string },
  fallback: Omit<UserDefaults, 'country'>,
): UserDefaults => {
  const fromPhone = identity.waId ? parsePhoneNumberFromString(`+${identity.waId}`)?.country : undefined;
  const fromBsuid = identity.bsuid?.match(/^([A-Z]{2})\./)?.[1];
  const country = fromPhone ?? fromBsuid;
  const known = country ? COUNTRY_DEFAULTS[country] : undefined;
  return { ...fallback, ...known, ...(country && { country }) };
};
