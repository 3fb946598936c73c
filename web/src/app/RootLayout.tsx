import { useEffect, useRef } from 'react';
import { Outlet, ScrollRestoration, useLocation } from 'react-router';
import { useSession } from '../sessions/session.tsx';

/** Every route: restores scrolling and moves keyboard focus to the new page's content. */
export function RootLayout() {
  const location = useLocation();
  const first = useRef(true);
  const { exitTo, clearExit } = useSession();

  // A deliberate exit is over once its page is reached.
  useEffect(() => {
    if (exitTo && location.pathname + location.search === exitTo) clearExit();
  }, [exitTo, clearExit, location.pathname, location.search]);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (location.hash) return;
    // Screen readers and keyboard users start reading the new page, not the link they left.
    const main = document.getElementById('main');
    if (main && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
  }, [location.pathname, location.hash]);

  return (
    <>
      <ScrollRestoration />
      <Outlet />
    </>
  );
}
