import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../test/render';
import { en } from './en';
import { detectLanguage, LANGUAGE_KEY } from './languages';
import { ptBR } from './ptBR';

afterEach(() => localStorage.clear());

describe('language', () => {
  it.each([
    [['pt-BR', 'en'], 'pt-BR'],
    [['pt'], 'pt-BR'],
    [['pt-PT'], 'pt-BR'],
    [['en-GB', 'pt-BR'], 'en'],
    [['de-DE'], 'en'],
    [[], 'en'],
  ])('picks from the browser languages %j → %s', (browser, expected) => {
    expect(detectLanguage(null, browser)).toBe(expected);
  });

  it('prefers a remembered choice over the browser', () => {
    expect(detectLanguage('en', ['pt-BR'])).toBe('en');
    expect(detectLanguage('xx', ['pt-BR'])).toBe('pt-BR');
  });

  it('switches the page language and remembers it', async () => {
    renderApp('/', { language: 'en' });
    expect(screen.getByRole('heading', { name: 'Join a meeting' })).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Language'), 'pt-BR');

    expect(screen.getByRole('heading', { name: 'Entrar em uma reunião' })).toBeInTheDocument();
    expect(screen.getByLabelText('Link ou código do convite')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('pt-BR');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('pt-BR');
    expect(detectLanguage(undefined, ['en'])).toBe('pt-BR');
  });

  it('has every English text in Portuguese', () => {
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([key, value]) =>
        value && typeof value === 'object' ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
      );
    expect(keys(ptBR).sort()).toEqual(keys(en).sort());
  });
});
