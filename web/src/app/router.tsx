import { createBrowserRouter } from 'react-router';
import { ForgotPasswordPage } from '../accounts/ForgotPasswordPage.tsx';
import { ProfilePage } from '../accounts/ProfilePage.tsx';
import { ResetPasswordPage } from '../accounts/ResetPasswordPage.tsx';
import { SignInPage } from '../accounts/SignInPage.tsx';
import { SignUpPage } from '../accounts/SignUpPage.tsx';
import { VerifyEmailPage } from '../accounts/VerifyEmailPage.tsx';
import { ActivityPage } from '../audit/ActivityPage.tsx';
import { AdminsPage } from '../memberships/AdminsPage.tsx';
import { BillingPage } from '../billing/BillingPage.tsx';
import { ConsoleIndex, ConsoleLayout, ConsolePageGuard } from '../console/ConsoleLayout.tsx';
import { DefaultsPage } from '../organisations/DefaultsPage.tsx';
import { ImportPage } from '../imports/ImportPage.tsx';
import { ApiKeysPage } from '../integrations/ApiKeysPage.tsx';
import { IntegrationsPage } from '../integrations/ApiKeysConsolePage.tsx';
import { OrgWebhookEndpointPage, OwnWebhookEndpointPage, WebhooksPage } from '../integrations/WebhooksPage.tsx';
import { InvoicePage } from '../billing/InvoicePage.tsx';
import { SharingPage } from '../sharing/SharingPage.tsx';
import { UserDetailPage } from '../memberships/UserDetailPage.tsx';
import { UsersPage } from '../memberships/UsersPage.tsx';
import { HomePage } from '../dashboard/HomePage.tsx';
import { MailboxPage } from '../dev/MailboxPage.tsx';
import { ExercisesPage } from '../exercises/ExercisesPage.tsx';
import { ConsoleRedirect } from '../organisations/ConsoleRedirect.tsx';
import { CreateOrganisationPage } from '../organisations/CreateOrganisationPage.tsx';
import { InvitationAcceptPage } from '../organisations/InvitationAcceptPage.tsx';
import { PatientPage } from '../patients/PatientPage.tsx';
import { PatientsPage } from '../patients/PatientsPage.tsx';
import { PatientProgrammePage } from '../programmes/PatientProgrammePage.tsx';
import { EditProgrammePage, NewProgrammePage } from '../programmes/ProgrammeBuilderPage.tsx';
import { UnsubscribePage } from '../engagement/patient/UnsubscribePage.tsx';
import { SessionReplacedPage } from '../sessions/SessionReplacedScreen.tsx';
import { SubscriptionInvoicePage } from '../subscriptions/SubscriptionInvoicePage.tsx';
import { SubscriptionPage } from '../subscriptions/SubscriptionPage.tsx';
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
      // The patient's page: a programme code and a year of birth open it, without an account (R-PRG-2).
      { path: 'programme', element: <PatientProgrammePage /> },
      // The link of a reminder email: one button stops them (R-ENG-4).
      { path: 'unsubscribe', element: <UnsubscribePage /> },
      // Signed in.
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, element: <HomePage /> },
              { path: 'profile', element: <ProfilePage /> },
              { path: 'api-keys', element: <ApiKeysPage /> },
              { path: 'webhooks', element: <WebhooksPage /> },
              { path: 'webhooks/:endpointId', element: <OwnWebhookEndpointPage /> },
              { path: 'activity', element: <ActivityPage /> },
              { path: 'patients', element: <PatientsPage /> },
              { path: 'patients/:patientId', element: <PatientPage /> },
              { path: 'patients/:patientId/programmes/new', element: <NewProgrammePage /> },
              { path: 'programmes/:programmeId/edit', element: <EditProgrammePage /> },
              { path: 'exercises', element: <ExercisesPage /> },
              { path: 'subscription', element: <SubscriptionPage /> },
              { path: 'subscription/invoices/:invoiceId', element: <SubscriptionInvoicePage /> },
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
                  { path: 'integrations', element: <ConsolePageGuard page="integrations"><IntegrationsPage /></ConsolePageGuard> },
                  { path: 'integrations/webhooks/:endpointId', element: <ConsolePageGuard page="integrations"><OrgWebhookEndpointPage /></ConsolePageGuard> },
                  { path: 'sharing', element: <ConsolePageGuard page="sharing"><SharingPage /></ConsolePageGuard> },
                  { path: 'defaults', element: <ConsolePageGuard page="defaults"><DefaultsPage /></ConsolePageGuard> },
                  { path: 'import', element: <ConsolePageGuard page="import"><ImportPage /></ConsolePageGuard> },
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
