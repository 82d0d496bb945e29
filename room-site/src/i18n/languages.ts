import { localStore } from '../browserStorage';
import { en, type Messages } from './en';
import { ptBR } from './ptBR';

export const LANGUAGES = ['pt-BR', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, string> = { 'pt-BR': 'Português (Brasil)', en: 'English' };

export const MESSAGES: Record<Language, Messages> = { 'pt-BR': ptBR, en };

export const LANGUAGE_KEY = 'doctorlive.language';

/** A remembered choice wins; otherwise the browser's preferred languages; otherwise English. */
export function detectLanguage(
  remembered: string | null = localStore()?.getItem(LANGUAGE_KEY) ?? null,
  browserLanguages: readonly string[] = typeof navigator !== 'undefined'
    ? (navigator.languages?.length ? navigator.languages : [navigator.language])
    : [],
): Language {
  if (remembered && (LANGUAGES as readonly string[]).includes(remembered)) return remembered as Language;
  for (const tag of browserLanguages) {
    const lower = (tag ?? '').toLowerCase();
    if (lower.startsWith('pt')) return 'pt-BR';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function rememberLanguage(language: Language): void {
  try {
    localStore()?.setItem(LANGUAGE_KEY, language);
  } catch {
    // Not remembering is acceptable.
  }
}
