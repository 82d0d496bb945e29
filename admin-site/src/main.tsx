import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './App';
import { loadRuntimeConfig } from './config';
import { I18nProvider } from './i18n/I18nProvider';
import { RuntimeProvider } from './Runtime';
import './index.css';

void loadRuntimeConfig().then((config) => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <RuntimeProvider config={config}>
        <I18nProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </I18nProvider>
      </RuntimeProvider>
    </StrictMode>,
  );
});
