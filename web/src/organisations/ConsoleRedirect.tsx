import { Navigate } from 'react-router';
import { LoadingBlock } from '../app/ui.tsx';
import { consoleOrganisations } from './landing.ts';
import { useWorkspace } from './workspace.ts';

/** /console: the console of the person's first organisation, or home when they run none. */
export function ConsoleRedirect() {
  const workspace = useWorkspace();
  if (workspace.isPending) return <LoadingBlock label="Opening the organisation console" />;
  const first = workspace.data ? consoleOrganisations(workspace.data)[0] : undefined;
  return <Navigate to={first ? `/console/${first.id}` : '/'} replace />;
}
