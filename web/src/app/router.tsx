import { createBrowserRouter } from 'react-router';
import { ForgotPasswordPage } from '../accounts/ForgotPasswordPage.tsx';
import { ProfilePage } from '../accounts/ProfilePage.tsx';
import { ResetPasswordPage } from '../accounts/ResetPasswordPage.tsx';
import { SignInPage } from '../accounts/SignInPage.tsx';
import { SignUpPage } from '../accounts/SignUpPage.tsx';
import { VerifyEmailPage } from '../accounts/VerifyEmailPage.tsx';
import { ActivityPage } from '../audit/ActivityPage.tsx';
import { HomePage } from '../dashboard/HomePage.tsx';
import { MailboxPage } from '../dev/MailboxPage.tsx';
import { SessionReplacedPage } from '../sessions/SessionReplacedScreen.tsx';
import { AppLayout } from './AppLayout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireAuth } from './RequireAuth.tsx';
import { RootLayout } from './RootLayout.tsx';
import { RouteError } from './RouteError.tsx';

export const router = createBrowserRouter([
  {
    element: <RootLayout />,
    errorElement: <RouteError />,
    children: [
      // Open to everyone.
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-up', element: <SignUpPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'verify-email', element: <VerifyEmailPage /> },
      { path: 'session-replaced', element: <SessionReplacedPage /> },
      { path: 'dev/mailbox', element: <MailboxPage /> },
      // Signed in. New sections (organisation console, patients, programmes) go here.
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, element: <HomePage /> },
              { path: 'profile', element: <ProfilePage /> },
              { path: 'activity', element: <ActivityPage /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
