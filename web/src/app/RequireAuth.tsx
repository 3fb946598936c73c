import { Navigate, Outlet, useLocation } from 'react-router';
import { reasonForSessionEnd } from '../sessions/notices.ts';
import { useSession } from '../sessions/session.tsx';
import { SessionReplacedScreen } from '../sessions/SessionReplacedScreen.tsx';
import { ConnectionProblem, FullPageLoader } from './ui.tsx';

/**
 * Guards the signed-in pages. A visitor who is not signed in goes to the sign-in page with `next`
 * set to where they were; a session replaced by a newer sign-in shows its notice right here.
 */
export function RequireAuth() {
  const { status, sessionEnd, retry, exitTo } = useSession();
  const location = useLocation();
  const here = location.pathname + location.search;

  if (status === 'loading') return <FullPageLoader />;
  if (status === 'error') return <ConnectionProblem onRetry={retry} />;
  if (status === 'signed-out') {
    if (sessionEnd?.code === 'session_replaced') return <SessionReplacedScreen end={sessionEnd} next={here} />;
    // Signing out or leaving a notice on purpose: go where that was heading.
    if (exitTo) return <Navigate to={exitTo} replace />;
    const params = new URLSearchParams();
    params.set('next', here);
    const reason = sessionEnd ? reasonForSessionEnd(sessionEnd) : null;
    if (reason) params.set('reason', reason);
    return <Navigate to={`/sign-in?${params.toString()}`} replace />;
  }
  return <Outlet />;
}
