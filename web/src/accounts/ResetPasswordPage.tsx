import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call, hasErrorCode } from '../app/api.ts';
import { applyServerErrors } from '../app/forms.ts';
import { AuthCard, FormError } from '../app/ui.tsx';
import { PasswordHint } from './PasswordHint.tsx';
import { resetPasswordSchema } from './schemas.ts';

function InvalidLink() {
  return (
    <Stack gap="md">
      <Alert
        color="orange"
        variant="light"
        role="alert"
        icon={<IconAlertTriangle size={18} aria-hidden="true" />}
        title="This link can't be used"
        data-testid="reset-link-invalid"
      >
        Password reset links work once and expire after one hour. Ask for a new one and use the latest email.
      </Alert>
      <Button component={Link} to="/forgot-password" fullWidth>
        Request a new link
      </Button>
    </Stack>
  );
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);
  const [tokenInvalid, setTokenInvalid] = useState(false);
  const schema = useMemo(() => resetPasswordSchema(), []);
  const form = useForm({
    initialValues: { password: '' },
    validate: schemaResolver(schema, { sync: true }),
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await call(accountContracts.resetPassword, { body: { token, password: values.password } }, { csrf: false, reportSessionEnd: false });
      navigate('/sign-in?reason=reset_done', { replace: true });
    } catch (error) {
      if (hasErrorCode(error, 'token_invalid') || hasErrorCode(error, 'not_found')) {
        setTokenInvalid(true);
        return;
      }
      setProblem(applyServerErrors(form, error, ['password']));
    }
  });

  return (
    <AuthCard
      title="Choose a new password"
      description="Setting a new password signs your account out on every device."
      footer={
        <Anchor component={Link} to="/sign-in" size="sm" fw={600}>
          Back to sign in
        </Anchor>
      }
    >
      {!token || tokenInvalid ? (
        <InvalidLink />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <FormError message={problem} />
            <PasswordInput
              label="New password"
              autoComplete="new-password"
              required
              withAsterisk={false}
              autoFocus
              description={<PasswordHint password={form.values.password} />}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              {...form.getInputProps('password')}
            />
            <Button type="submit" fullWidth size="md" loading={form.submitting}>
              Set new password
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
