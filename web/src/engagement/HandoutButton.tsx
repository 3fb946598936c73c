import { Button } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { engagementContracts } from '../../../src/engagement/schemas.ts';
import { fillPath } from '../../../src/platform/http/contract.ts';

/**
 * R-PRG-2, R-ENG-8: the programme as a printable A4 handout with the practice's logo, a QR code and
 * the code, opened in a new tab where the browser prints or saves it.
 */
export function HandoutButton({ programme }: { programme: { id: string; title: string } }) {
  return (
    <Button
      component="a"
      href={fillPath(engagementContracts.handout.path, { programmeId: programme.id })}
      target="_blank"
      rel="noopener"
      size="xs"
      variant="default"
      leftSection={<IconPrinter size={14} aria-hidden="true" />}
      title="Opens a PDF to print or save: the exercises, the code and a QR code the patient scans to open the programme"
      aria-label={`Print handout of ${programme.title}`}
    >
      Print handout
    </Button>
  );
}
