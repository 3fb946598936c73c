import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call, isApiError } from '../app/api.ts';
import { describeWait } from '../app/format.ts';
import { applyServerErrors, safeNext } from '../app/forms.ts';
import { AuthCard, FullPageLoader } from '../app/ui.tsx';
import { MailboxFooterLink } from '../dev/MailboxFooterLink.tsx';
import { SIGN_IN_NOTICES, isSignInReason } from '../sessions/notices.ts';
import { useSession } from '../sessions/session.tsx';
import { signInSchema } from './schemas.ts';

type Problem =
  | { kind: 'message'; message: string }
  | { kind: 'reset_required'; message: string };

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const reason = params.get('reason');
  const notice = isSignInReason(reason) ? SIGN_IN_NOTICES[reason] : null;
  const { status, signedIn } = useSession();
  const [problem, setProblem] = useState<Problem | null>(null);

  const form = useForm({
    initialValues: { email: params.get('email') ?? '', password: '' },
    validate: schemaResolver(signInSchema, { sync: true }),
  });

  if (status === 'loading') return <FullPageLoader />;
  if (status === 'signed-in') return <Navigate to={next} replace />;

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(
        accountContracts.signIn,
        { body: { email: values.email.trim(), password: values.password } },
        { csrf: false, reportSessionEnd: false },
      );
      notifications.show({ color: 'motus', message: `Welcome back, ${answer.account.name}.` });
      signedIn(answer);
    } catch (error) {
      form.setFieldValue('password', '');
      if (isApiError(error, 'invalid_credentials')) {
        setProblem({ kind: 'message', message: 'Email or password is incorrect.' });
      } else if (isApiError(error, 'rate_limited')) {
        const wait = describeWait((error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds);
        setProblem({ kind: 'message', message: `Too many sign-in attempts. Please try again in ${wait}.` });
      } else if (isApiError(error, 'password_reset_required')) {
        setProblem({ kind: 'reset_required', message: error.message });
      } else {
        const message = applyServerErrors(form, error, ['email', 'password']);
        if (message) setProblem({ kind: 'message', message });
      }
    }
  });

  return (
    <AuthCard
      title="Sign in"
      description="Welcome back. Sign in to your Motus account."
      footer={
        <>
          <Text size="sm">
            New to Motus?{' '}
            <Anchor component={Link} to={next === '/' ? '/sign-up' : `/sign-up?next=${encodeURIComponent(next)}`} fw={600}>
              Create an account
            </Anchor>
          </Text>
          <MailboxFooterLink />
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {notice ? (
            <Alert
              data-testid="sign-in-notice"
              color={notice.tone === 'warning' ? 'orange' : notice.tone === 'success' ? 'green' : 'motus'}
              variant="light"
              title={notice.title}
              icon={<IconInfoCircle size={18} aria-hidden="true" />}
            >
              {notice.message}
            </Alert>
          ) : null}
          {problem ? (
            <Alert
              color="red"
              variant="light"
              role="alert"
              data-testid="sign-in-error"
              icon={
                problem.kind === 'reset_required' ? (
                  <IconLock size={18} aria-hidden="true" />
                ) : (
                  <IconAlertTriangle size={18} aria-hidden="true" />
                )
              }
            >
              {problem.message}
              {problem.kind === 'reset_required' ? (
                <>
                  {' '}
                  <Anchor component={Link} to="/forgot-password" fw={600} inherit>
                    Reset your password
                  </Anchor>
                </>
              ) : null}
            </Alert>
          ) : null}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            inputMode="email"
            required
            withAsterisk={false}
            autoFocus
            {...form.getInputProps('email')}
          />
          <Stack gap={6}>
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              withAsterisk={false}
              {...form.getInputProps('password')}
            />
            <Group justify="flex-end">
              <Anchor component={Link} to="/forgot-password" size="sm">
                Forgot your password?
              </Anchor>
            </Group>
          </Stack>
          <Button type="submit" fullWidth loading={form.submitting} size="md">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
