import { Button, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSend } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { describeWait } from '../app/format.ts';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call, errorMessage, isApiError } from '../app/api.ts';

export function ResendVerificationButton({ label = 'Resend email', ...props }: ButtonProps & { label?: string }) {
  const resend = useMutation({
    mutationFn: () => call(accountContracts.resendVerification),
    onSuccess: () => {
      notifications.show({
        color: 'motus',
        title: 'Verification email sent',
        message: 'Check your inbox for a new link to verify your email address.',
      });
    },
    onError: (error) => {
      const message = isApiError(error, 'rate_limited')
        ? `Please wait ${describeWait((error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds)} before asking again.`
        : errorMessage(error);
      notifications.show({ color: 'red', title: 'The email was not sent', message });
    },
  });
  return (
    <Button
      leftSection={<IconSend size={16} aria-hidden="true" />}
      loading={resend.isPending}
      onClick={() => resend.mutate()}
      {...props}
    >
      {label}
    </Button>
  );
}
