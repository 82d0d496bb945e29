import { useId } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/languages';

export function LanguageSwitcher({ className = '' }: { className?: string }) {
  const { language, messages, setLanguage } = useI18n();
  const id = useId();
  return (
    <div className={`flex items-center gap-2 text-sm ${className}`}>
      <label htmlFor={id}>{messages.language.label}</label>
      <select
        id={id}
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
        className="rounded-md border border-slate-400 bg-white px-2 py-1 text-slate-900"
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
