import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call, isApiError } from '../app/api.ts';
import { applyServerErrors, safeNext } from '../app/forms.ts';
import { AuthCard, FormError, FullPageLoader } from '../app/ui.tsx';
import { useSession } from '../sessions/session.tsx';
import { PasswordHint } from './PasswordHint.tsx';
import { signUpSchema } from './schemas.ts';

export function SignUpPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { status, signedIn } = useSession();
  const [problem, setProblem] = useState<string | null>(null);

  const form = useForm({
    initialValues: { name: '', email: '', password: '' },
    validate: schemaResolver(signUpSchema, { sync: true }),
    validateInputOnBlur: ['name', 'email'],
  });

  if (status === 'loading') return <FullPageLoader />;
  if (status === 'signed-in') return <Navigate to={next} replace />;

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(
        accountContracts.signUp,
        { body: { email: values.email.trim(), password: values.password, name: values.name.trim() } },
        { csrf: false, reportSessionEnd: false },
      );
      notifications.show({
        color: 'motus',
        title: 'Welcome to Motus',
        message: `We've sent a link to ${answer.account.email} to verify your email address.`,
      });
      signedIn(answer);
    } catch (error) {
      if (isApiError(error, 'email_taken')) {
        form.setFieldError('email', 'An account with this email address already exists. Sign in instead, or reset your password.');
        return;
      }
      setProblem(applyServerErrors(form, error, ['name', 'email', 'password']));
    }
  });

  return (
    <AuthCard
      title="Create your account"
      description="Your own Motus account: personal to you, never shared."
      footer={
        <Text size="sm">
          Already have an account?{' '}
          <Anchor component={Link} to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} fw={600}>
            Sign in
          </Anchor>
        </Text>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={problem} />
          <TextInput label="Name" autoComplete="name" required withAsterisk={false} autoFocus {...form.getInputProps('name')} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            inputMode="email"
            required
            withAsterisk={false}
            description="We'll send a link to check it's yours."
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="new-password"
            required
            withAsterisk={false}
            description={<PasswordHint password={form.values.password} />}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...form.getInputProps('password')}
          />
          <Button type="submit" fullWidth size="md" loading={form.submitting}>
            Create account
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            Your password is stored only as a secure hash. Signing in on another device signs you out here.
          </Text>
        </Stack>
      </form>
    </AuthCard>
  );
}
