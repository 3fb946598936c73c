import { Alert, Box, Button, Center, FileButton, Grid, Group, Image, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPhoto, IconTrash, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { ApiError } from './api.ts';

const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/** The logo as a data: URL (img-src allows 'self' and data:), fetched afresh after each change. */
async function fetchLogo(path: string): Promise<string> {
  const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
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

export interface LogoEditorProps {
  /** The section's anchor (a link can jump to it). */
  id?: string;
  title: string;
  description: ReactNode;
  hasLogo: boolean;
  /** Where the stored logo is read from. */
  imagePath: string;
  /** Names whose logo this is, so that two logos on one page never share a cached preview. */
  cacheKey: readonly unknown[];
  /** Sends the chosen file (multipart field "logo") and brings the page's state up to date. */
  upload: (form: FormData) => Promise<unknown>;
  remove: () => Promise<unknown>;
  saved: string;
  removed: string;
  previewAlt: string;
}

/**
 * A logo's upload, preview and removal (PNG, JPEG or WebP, at most 2 MB, resized by the server):
 * the practitioner's own logo (R-ACC-1) and the organisation's Practice default (R-ORG-4).
 */
export function LogoEditor({ id, title, description, hasLogo, imagePath, cacheKey, upload, remove, saved, removed, previewAlt }: LogoEditorProps) {
  const headingId = useId();
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  const logo = useQuery({
    queryKey: [...cacheKey, 'logo', version],
    queryFn: () => fetchLogo(imagePath),
    enabled: hasLogo,
    staleTime: Infinity,
  });

  const send = useMutation({
    mutationFn: async (file: File) => {
      if (!LOGO_TYPES.includes(file.type)) throw new Error('Choose a PNG, JPEG or WebP image.');
      if (file.size > LOGO_MAX_BYTES) throw new Error('The logo must be 2 MB or smaller.');
      const form = new FormData();
      form.append('logo', file, file.name);
      return upload(form);
    },
    onMutate: () => setProblem(null),
    onSuccess: () => {
      setVersion((v) => v + 1);
      notifications.show({ color: 'motus', title: 'Logo updated', message: saved });
    },
    onError: (error) => setProblem(uploadProblem(error)),
  });

  const take = useMutation({
    mutationFn: remove,
    onMutate: () => setProblem(null),
    onSuccess: () => {
      setVersion((v) => v + 1);
      notifications.show({ color: 'motus', message: removed });
    },
    onError: (error) => setProblem(uploadProblem(error)),
  });

  const busy = send.isPending || take.isPending;

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby={headingId} id={id}>
      <Grid gap={{ base: 'md', md: 'xl' }}>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Title order={2} size="h4" id={headingId}>
            {title}
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            {description}
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
                {hasLogo && logo.data ? (
                  <Image src={logo.data} alt={previewAlt} h={96} w={160} fit="contain" p={8} data-testid="logo-preview" />
                ) : (
                  <Center h="100%">
                    <Stack gap={2} align="center">
                      <IconPhoto size={24} aria-hidden="true" color="var(--mantine-color-gray-5)" />
                      <Text size="xs" c="dimmed">
                        {hasLogo ? 'Loading…' : 'No logo yet'}
                      </Text>
                    </Stack>
                  </Center>
                )}
              </Box>
              <Group gap="sm">
                <FileButton
                  onChange={(file) => {
                    if (file) send.mutate(file);
                  }}
                  accept={LOGO_TYPES.join(',')}
                  inputProps={{ 'aria-label': 'Logo file', 'data-testid': 'logo-input' } as React.ComponentProps<'input'>}
                >
                  {(props) => (
                    <Button {...props} leftSection={<IconUpload size={16} aria-hidden="true" />} loading={send.isPending} disabled={busy}>
                      {hasLogo ? 'Replace logo' : 'Upload logo'}
                    </Button>
                  )}
                </FileButton>
                {hasLogo ? (
                  <Button
                    variant="default"
                    color="red"
                    leftSection={<IconTrash size={16} aria-hidden="true" />}
                    loading={take.isPending}
                    disabled={busy}
                    onClick={() => take.mutate()}
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
