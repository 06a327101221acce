import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { takeSignInCode } from './api/sign-in-link';
import { App } from './app';
import './styles.css';

// Before anything renders or routes: the one-time code leaves the address bar and the history at once.
const signInCode = takeSignInCode(window.location, window.history);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App signInCode={signInCode} />
  </StrictMode>,
);
