import { Alert, Box, Button, Center, FileButton, Grid, Group, Image, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPhoto, IconTrash, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { accountContracts } from '../../../src/accounts/schemas.ts';
import { ApiError, call } from '../app/api.ts';
import { useAccount, useSession } from '../sessions/session.tsx';

const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/** The logo as a data: URL (img-src allows 'self' and data:), fetched afresh after each change. */
async function fetchLogo(): Promise<string> {
  const response = await fetch(accountContracts.logo.path, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, 'The logo could not be loaded.');
  const blob = await response.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error('The logo could not be read.'));
    reader.readAsDataURL(blob);
  });
}

function uploadProblem(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 413) return 'The logo must be 2 MB or smaller.';
    if (error.status === 415) return "That file isn't a PNG, JPEG or WebP image.";
    return error.message;
  }
  return error instanceof Error ? error.message : 'The logo could not be uploaded.';
}

export function LogoCard() {
  const account = useAccount();
  const { updateAccount } = useSession();
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  const logo = useQuery({
    queryKey: ['account', 'logo', account.id, version],
    queryFn: fetchLogo,
    enabled: account.hasLogo,
    staleTime: Infinity,
  });

  const upload = useMutation({
    mutationFn: async (file: File) => {
      if (!LOGO_TYPES.includes(file.type)) throw new Error('Choose a PNG, JPEG or WebP image.');
      if (file.size > LOGO_MAX_BYTES) throw new Error('The logo must be 2 MB or smaller.');
      const form = new FormData();
      form.append('logo', file, file.name);
      return call(accountContracts.uploadLogo, { form });
    },
    onMutate: () => setProblem(null),
    onSuccess: (answer) => {
      updateAccount(answer.account);
      setVersion((v) => v + 1);
      notifications.show({ color: 'motus', title: 'Logo updated', message: 'Your practice logo has been saved.' });
    },
    onError: (error) => setProblem(uploadProblem(error)),
  });

  const remove = useMutation({
    mutationFn: () => call(accountContracts.removeLogo),
    onMutate: () => setProblem(null),
    onSuccess: (answer) => {
      updateAccount(answer.account);
      setVersion((v) => v + 1);
      notifications.show({ color: 'motus', message: 'Your practice logo has been removed.' });
    },
    onError: (error) => setProblem(uploadProblem(error)),
  });

  const busy = upload.isPending || remove.isPending;

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="logo-heading" id="logo">
      <Grid gap={{ base: 'md', md: 'xl' }}>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Title order={2} size="h4" id="logo-heading">
            Practice logo
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            PNG, JPEG or WebP, up to 2 MB. It is resized for you.
          </Text>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {problem ? (
              <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden="true" />}>
                {problem}
              </Alert>
            ) : null}
            <Group gap="lg" align="center">
              <Box
                w={160}
                h={96}
                bg="gray.0"
                style={{ borderRadius: 'var(--mantine-radius-md)', border: '1px solid var(--mantine-color-gray-3)' }}
              >
                {account.hasLogo && logo.data ? (
                  <Image src={logo.data} alt="Your practice logo" h={96} w={160} fit="contain" p={8} data-testid="logo-preview" />
                ) : (
                  <Center h="100%">
                    <Stack gap={2} align="center">
                      <IconPhoto size={24} aria-hidden="true" color="var(--mantine-color-gray-5)" />
                      <Text size="xs" c="dimmed">
                        {account.hasLogo ? 'Loading…' : 'No logo yet'}
                      </Text>
                    </Stack>
                  </Center>
                )}
              </Box>
              <Group gap="sm">
                <FileButton
                  onChange={(file) => {
                    if (file) upload.mutate(file);
                  }}
                  accept={LOGO_TYPES.join(',')}
                  inputProps={{ 'aria-label': 'Logo file', 'data-testid': 'logo-input' } as React.ComponentProps<'input'>}
                >
                  {(props) => (
                    <Button {...props} leftSection={<IconUpload size={16} aria-hidden="true" />} loading={upload.isPending} disabled={busy}>
                      {account.hasLogo ? 'Replace logo' : 'Upload logo'}
                    </Button>
                  )}
                </FileButton>
                {account.hasLogo ? (
                  <Button
                    variant="default"
                    color="red"
                    leftSection={<IconTrash size={16} aria-hidden="true" />}
                    loading={remove.isPending}
                    disabled={busy}
                    onClick={() => remove.mutate()}
                  >
                    Remove logo
                  </Button>
                ) : null}
              </Group>
            </Group>
          </Stack>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}
