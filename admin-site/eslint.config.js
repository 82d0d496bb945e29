// ESLint (flat config): typescript-eslint's recommended rules and React's rules of hooks
// (rules-of-hooks, exhaustive-deps). Types are checked by `tsc -b`; `npm run lint` runs both, and
// a warning fails it as an error does.
//
// Not on: the React Compiler's checks that eslint-plugin-react-hooks 7 adds to its recommended
// set (set-state-in-effect, refs, immutability, ...). This site does not build with the compiler,
// and they flag idioms it uses on purpose (a loading state set as an effect starts, the
// newest-value ref read while rendering); turning them on means rewriting those hooks first.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
  },
  {
    files: ['**/*.{js,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: globals.node },
  },
);
