import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { AccessRemovedProvider } from '../organisations/accessRemoved.tsx';
import { PaymentRequiredProvider } from '../organisations/paymentRequiredNotice.tsx';
import { SubscriptionRequiredProvider } from '../organisations/subscriptionRequired.tsx';
import { SessionProvider } from '../sessions/session.tsx';
import { queryClient } from './queryClient.ts';
import { router } from './router.tsx';
import { theme } from './theme.ts';

export function App() {
  return (
    <MantineProvider theme={theme} forceColorScheme="light">
      <Notifications position="top-right" limit={3} />
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <AccessRemovedProvider>
            <PaymentRequiredProvider>
              <SubscriptionRequiredProvider>
                <RouterProvider router={router} />
              </SubscriptionRequiredProvider>
            </PaymentRequiredProvider>
          </AccessRemovedProvider>
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
