import { Alert, Button, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call, errorMessage, hasErrorCode } from '../app/api.ts';
import { AuthCard } from '../app/ui.tsx';
import { useSession } from '../sessions/session.tsx';
import { ResendVerificationButton } from './ResendVerificationButton.tsx';

/** Opened from the emailed link: /verify-email?token=…; works signed in or out. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { status, account, updateAccount } = useSession();
  const signedIn = status === 'signed-in';

  const verify = useMutation({
    mutationFn: (value: string) =>
      call(accountContracts.verifyEmail, { body: { token: value } }, { reportSessionEnd: false }),
    onSuccess: (answer) => {
      if (account && answer.account.id === account.id) updateAccount(answer.account);
    },
  });

  // Each token is sent once, even when React runs effects twice in development, and only once the
  // session is known: a session answer read before the confirmation would otherwise overwrite it.
  const sentFor = useRef<string | null>(null);
  useEffect(() => {
    if (!token || status === 'loading' || sentFor.current === token) return;
    sentFor.current = token;
    verify.mutate(token);
  }, [token, status, verify]);

  const failed = !token || verify.isError;
  const tokenProblem =
    !token ||
    (verify.isError &&
      (hasErrorCode(verify.error, 'token_invalid') ||
        hasErrorCode(verify.error, 'not_found') ||
        hasErrorCode(verify.error, 'validation_failed')));

  return (
    <AuthCard title="Verify your email address">
      {verify.isSuccess ? (
        <Stack gap="md" data-testid="verify-email-success">
          <Alert color="green" variant="light" icon={<IconCircleCheck size={20} aria-hidden="true" />} title="Your email address is verified" role="status">
            Thank you. {verify.data.account?.email ? <strong>{verify.data.account.email}</strong> : 'Your address'} is confirmed as yours.
          </Alert>
          <Button component={Link} to={signedIn ? '/' : '/sign-in'} fullWidth>
            {signedIn ? 'Continue to Motus' : 'Sign in'}
          </Button>
        </Stack>
      ) : failed ? (
        <Stack gap="md" data-testid="verify-email-failed">
          <Alert color="orange" variant="light" role="alert" icon={<IconAlertTriangle size={20} aria-hidden="true" />} title="This link can't be used">
            {tokenProblem
              ? 'Verification links work once and expire. If you already verified your address, there is nothing more to do.'
              : errorMessage(verify.error)}
          </Alert>
          {signedIn && account && !account.emailVerified ? (
            <ResendVerificationButton fullWidth label="Send a new link" />
          ) : null}
          <Button component={Link} to={signedIn ? '/' : '/sign-in'} variant={signedIn && account && !account.emailVerified ? 'default' : 'filled'} fullWidth>
            {signedIn ? 'Go to Motus' : 'Sign in to ask for a new link'}
          </Button>
        </Stack>
      ) : (
        <Stack align="center" gap="sm" py="lg" role="status">
          <Loader aria-hidden="true" />
          <Text c="dimmed">Checking your link…</Text>
        </Stack>
      )}
    </AuthCard>
  );
}
