import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Messages } from './en';
import { detectLanguage, MESSAGES, rememberedLanguage, rememberLanguage, type Language } from './languages';

interface I18n {
  language: Language;
  messages: Messages;
  setLanguage: (language: Language) => void;
  /** The entity's language, used unless the user picked one. */
  suggestLanguage: (language: Language) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, initialLanguage }: { children: ReactNode; initialLanguage?: Language }) {
  const [language, setLanguageState] = useState<Language>(() => initialLanguage ?? detectLanguage());

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    rememberLanguage(next);
    setLanguageState(next);
  }, []);

  const suggestLanguage = useCallback((next: Language) => {
    if (!rememberedLanguage()) setLanguageState(next);
  }, []);

  const value = useMemo(
    () => ({ language, messages: MESSAGES[language], setLanguage, suggestLanguage }),
    [language, setLanguage, suggestLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

/** The dictionary of the current language: `const m = useMessages(); m.password.label`. */
export function useMessages(): Messages {
  return useI18n().messages;
}
