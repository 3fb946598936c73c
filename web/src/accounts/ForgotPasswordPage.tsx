import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconMailCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeWait } from '../app/format.ts';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call, isApiError } from '../app/api.ts';
import { applyServerErrors } from '../app/forms.ts';
import { AuthCard, FormError } from '../app/ui.tsx';
import { forgotPasswordSchema } from './schemas.ts';

export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '' },
    validate: schemaResolver(forgotPasswordSchema, { sync: true }),
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await call(accountContracts.forgotPassword, { body: { email: values.email.trim() } }, { csrf: false, reportSessionEnd: false });
      setSentTo(values.email.trim());
    } catch (error) {
      if (isApiError(error, 'rate_limited')) {
        const wait = describeWait((error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds);
        setProblem(`Too many requests. Please try again in ${wait}.`);
        return;
      }
      setProblem(applyServerErrors(form, error, ['email']));
    }
  });

  return (
    <AuthCard
      title="Reset your password"
      description="Enter the email address of your account and we'll send you a link to choose a new password."
      footer={
        <Anchor component={Link} to="/sign-in" size="sm" fw={600}>
          Back to sign in
        </Anchor>
      }
    >
      {sentTo ? (
        <Stack gap="md">
          <Alert
            color="motus"
            variant="light"
            icon={<IconMailCheck size={20} aria-hidden="true" />}
            title="Check your email"
            role="status"
            data-testid="forgot-password-sent"
          >
            If an account exists for that address, we've emailed a link to reset your password. The link works once,
            for one hour.
          </Alert>
          <Text size="sm" c="dimmed">
            Nothing arrived? Check your spam folder, or{' '}
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setSentTo(null);
                form.setFieldValue('email', sentTo);
              }}
            >
              try another address
            </Anchor>
            .
          </Text>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <FormError message={problem} />
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              inputMode="email"
              required
              withAsterisk={false}
              autoFocus
              {...form.getInputProps('email')}
            />
            <Button type="submit" fullWidth size="md" loading={form.submitting}>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
