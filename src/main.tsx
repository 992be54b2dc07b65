import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app';
import { installTestHooks } from './ui/test-hooks';
import './ui/styles.css';

if (__SIFT_TEST_HOOKS__) installTestHooks();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
