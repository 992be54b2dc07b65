/**
 * Registers the service worker in production builds and reports when a new
 * version is installed and waiting. `apply` hands control to it and reloads
 * once it has taken over; the UI calls it only when no ingest is running.
 */
export interface UpdateHandle {
  apply(): void;
}

export function registerServiceWorker(onUpdate: (update: UpdateHandle) => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker
      .register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL })
      .then((registration) => {
        const offer = (worker: ServiceWorker) =>
          onUpdate({
            apply() {
              navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
              worker.postMessage({ type: 'skip-waiting' });
            },
          });
        // A version that finished installing while the page was closed.
        if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
        registration.addEventListener('updatefound', () => {
          const incoming = registration.installing;
          incoming?.addEventListener('statechange', () => {
            // With no controller this is the first install, not an update.
            if (incoming.state === 'installed' && navigator.serviceWorker.controller) offer(incoming);
          });
        });
      })
      .catch((error: Error) => console.warn('Sift could not install its offline cache:', error.message));
  };
  // Registering after load keeps the precache downloads from competing with the first paint.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
