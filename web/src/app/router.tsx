import { createBrowserRouter } from 'react-router';
import { ForgotPasswordPage } from '../accounts/ForgotPasswordPage.tsx';
import { ProfilePage } from '../accounts/ProfilePage.tsx';
import { ResetPasswordPage } from '../accounts/ResetPasswordPage.tsx';
import { SignInPage } from '../accounts/SignInPage.tsx';
import { SignUpPage } from '../accounts/SignUpPage.tsx';
import { VerifyEmailPage } from '../accounts/VerifyEmailPage.tsx';
import { ActivityPage } from '../audit/ActivityPage.tsx';
import { AdminsPage } from '../console/AdminsPage.tsx';
import { BillingPage } from '../console/BillingPage.tsx';
import { ConsoleIndex, ConsoleLayout, ConsolePageGuard } from '../console/ConsoleLayout.tsx';
import { DefaultsPage } from '../console/DefaultsPage.tsx';
import { InvoicePage } from '../console/InvoicePage.tsx';
import { UserDetailPage } from '../console/UserDetailPage.tsx';
import { UsersPage } from '../console/UsersPage.tsx';
import { HomePage } from '../dashboard/HomePage.tsx';
import { MailboxPage } from '../dev/MailboxPage.tsx';
import { ConsoleRedirect } from '../organisations/ConsoleRedirect.tsx';
import { CreateOrganisationPage } from '../organisations/CreateOrganisationPage.tsx';
import { InvitationAcceptPage } from '../organisations/InvitationAcceptPage.tsx';
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
      { path: 'invitations/accept', element: <InvitationAcceptPage /> },
      { path: 'dev/mailbox', element: <MailboxPage /> },
      // Signed in. New sections (patients, programmes) go here.
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, element: <HomePage /> },
              { path: 'profile', element: <ProfilePage /> },
              { path: 'activity', element: <ActivityPage /> },
              { path: 'organisations/new', element: <CreateOrganisationPage /> },
              { path: 'console', element: <ConsoleRedirect /> },
              {
                path: 'console/:orgId',
                element: <ConsoleLayout />,
                children: [
                  { index: true, element: <ConsoleIndex /> },
                  { path: 'users', element: <ConsolePageGuard page="users"><UsersPage /></ConsolePageGuard> },
                  { path: 'users/:memberId', element: <ConsolePageGuard page="users"><UserDetailPage /></ConsolePageGuard> },
                  { path: 'billing', element: <ConsolePageGuard page="billing"><BillingPage /></ConsolePageGuard> },
                  { path: 'billing/invoices/:invoiceId', element: <ConsolePageGuard page="billing"><InvoicePage /></ConsolePageGuard> },
                  { path: 'admins', element: <ConsolePageGuard page="admins"><AdminsPage /></ConsolePageGuard> },
                  { path: 'defaults', element: <ConsolePageGuard page="defaults"><DefaultsPage /></ConsolePageGuard> },
                ],
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
