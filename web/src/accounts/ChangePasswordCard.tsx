import { Button, Grid, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call, isApiError } from '../app/api.ts';
import { applyServerErrors } from '../app/forms.ts';
import { FormError } from '../app/ui.tsx';
import { useAccount, useSession } from '../sessions/session.tsx';
import { PasswordHint } from './PasswordHint.tsx';
import { changePasswordSchema } from './schemas.ts';

export function ChangePasswordCard() {
  const account = useAccount();
  const { signedIn } = useSession();
  const [problem, setProblem] = useState<string | null>(null);
  const schema = useMemo(
    () => changePasswordSchema({ email: account.email, name: account.name }),
    [account.email, account.name],
  );
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '' },
    validate: schemaResolver(schema, { sync: true }),
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const answer = await call(accountContracts.changePassword, {
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      });
      // The server may issue a new session (and CSRF token) with the new password.
      signedIn(answer);
      form.reset();
      notifications.show({
        color: 'motus',
        title: 'Password changed',
        message: 'Use your new password next time you sign in.',
      });
    } catch (error) {
      if (isApiError(error, 'invalid_credentials') || isApiError(error, 'wrong_password')) {
        form.setFieldError('currentPassword', 'Your current password is incorrect.');
        return;
      }
      setProblem(applyServerErrors(form, error, ['currentPassword', 'newPassword']));
    }
  });

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="password-heading">
      <Grid gap={{ base: 'md', md: 'xl' }}>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Title order={2} size="h4" id="password-heading">
            Password
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            Changing your password keeps you signed in here.
          </Text>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <form onSubmit={submit} noValidate aria-label="Change password">
            <Stack gap="md">
              <FormError message={problem} />
              <PasswordInput
                label="Current password"
                autoComplete="current-password"
                required
                withAsterisk={false}
                {...form.getInputProps('currentPassword')}
              />
              <PasswordInput
                label="New password"
                autoComplete="new-password"
                required
                withAsterisk={false}
                description={<PasswordHint password={form.values.newPassword} />}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                {...form.getInputProps('newPassword')}
              />
              <Group justify="flex-end">
                <Button type="submit" loading={form.submitting}>
                  Change password
                </Button>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}
