import { useQueryClient } from '@tanstack/react-query';
import { organisationContracts, type ConsoleOrganisationView } from '../../../src/organisations/schemas.ts';
import { fillPath } from '../../../src/platform/http/contract.ts';
import { call } from '../app/api.ts';
import { LogoEditor } from '../app/LogoEditor.tsx';
import { organisationKey } from '../app/queryKeys.ts';
import { refreshOrganisation } from './queries.ts';

/** R-ORG-4: the organisation's logo, a Practice default, on the handouts and pages of its patients (R-ENG-8). */
export function PracticeLogoCard({ organisation }: { organisation: ConsoleOrganisationView }) {
  const queryClient = useQueryClient();
  const params = { orgId: organisation.id };
  return (
    <LogoEditor
      id="logo"
      title="Practice logo"
      description={`Printed on the programme handouts and shown on the programme page of every patient treated at ${organisation.name}, in place of each practitioner's own logo. PNG, JPEG or WebP, up to 2 MB; it is resized for you.`}
      hasLogo={organisation.hasLogo}
      imagePath={fillPath(organisationContracts.logo.path, params)}
      cacheKey={organisationKey(organisation.id)}
      upload={async (form) => {
        await call(organisationContracts.setLogo, { params, form });
        await refreshOrganisation(queryClient, organisation.id);
      }}
      remove={async () => {
        await call(organisationContracts.removeLogo, { params });
        await refreshOrganisation(queryClient, organisation.id);
      }}
      saved={`The practice logo of ${organisation.name} has been saved.`}
      removed={`The practice logo of ${organisation.name} has been removed: patients see each practitioner's own logo.`}
      previewAlt={`The practice logo of ${organisation.name}`}
    />
  );
}
