import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ExportProvider } from './exports/actions';
import { StudioProvider } from './hooks/studio';
import { createBrowserStudio } from './host/browser';
import { initI18n } from './i18n';
import { AppProvider } from './state/app';
import { CatalogRunProvider } from './state/catalog-run';
import { ImportProvider } from './state/importer';
import './styles.css';

// The preload provides `window.studio` in Electron; anywhere else this is browser mode.
// (The preload's object is read-only under context isolation: only set it when absent.)
if (!window.studio) window.studio = createBrowserStudio();
const studio = window.studio;
initI18n();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StudioProvider studio={studio}>
      <AppProvider>
        <CatalogRunProvider>
          <ImportProvider>
            <ExportProvider>
              <App />
            </ExportProvider>
          </ImportProvider>
        </CatalogRunProvider>
      </AppProvider>
    </StudioProvider>
  </StrictMode>,
);
