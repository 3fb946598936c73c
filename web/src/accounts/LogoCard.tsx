import { accountContracts } from '../../../src/accounts/schemas.ts';
import { call } from '../app/api.ts';
import { LogoEditor } from '../app/LogoEditor.tsx';
import { useAccount, useSession } from '../sessions/session.tsx';

/** R-ACC-1: the practitioner's own practice logo, on their handouts and their patients' pages. */
export function LogoCard() {
  const account = useAccount();
  const { updateAccount } = useSession();
  return (
    <LogoEditor
      id="logo"
      title="Practice logo"
      description="PNG, JPEG or WebP, up to 2 MB. It is resized for you."
      hasLogo={account.hasLogo}
      imagePath={accountContracts.logo.path}
      cacheKey={['account', account.id]}
      upload={async (form) => updateAccount((await call(accountContracts.uploadLogo, { form })).account)}
      remove={async () => updateAccount((await call(accountContracts.removeLogo)).account)}
      saved="Your practice logo has been saved."
      removed="Your practice logo has been removed."
      previewAlt="Your practice logo"
    />
  );
}
