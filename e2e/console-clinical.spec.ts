/**
 * The console's clinical parts (SPEC sections 5, 8, 9): an owner whose practitioner has patients and
 * an active programme removes the practitioner's access and is told first how many programmes will
 * be paused (R-PRA-3); grants access again with those programmes re-activated (R-PRA-5); imports a
 * small CSV file with one bad row into the practitioner's list and reads the refused line (Patient
 * import); transfers a patient to a second practitioner from the user's page (R-TRF-1, R-PAT-2:
 * names and year of birth only); and sets up the share group and the content account on the
 * Sharing & content page (R-SHR-1, R-SHR-2). Setup goes through the API; the owner's part through
 * the browser.
 */
import type { APIRequestContext } from '@playwright/test';
import { confirmEmail, createOwnerWithOrganisation, inviteThroughApi, type OwnerSetup } from './support/console.ts';
import { expect, test } from './support/fixtures.ts';
import { createAccount, newPerson, signIn, signInThroughApi, type Person } from './support/helpers.ts';

interface Practitioner {
  person: Person;
  memberId: string;
  api: APIRequestContext;
  headers: Record<string, string>;
}

/** Setup only: an account with a confirmed address, invited as a practitioner, who accepts through the API. */
async function addPractitioner(baseURL: string, setup: OwnerSetup, name: string): Promise<Practitioner> {
  const person = newPerson(name);
  await createAccount(baseURL, person);
  await confirmEmail(baseURL, person.email);
  const { memberId } = await inviteThroughApi(setup, person);
  const { api, session } = await signInThroughApi(baseURL, person.email, person.password);
  const headers = { 'x-csrf-token': session.csrfToken };
  const accepted = await api.post(`/api/invitations/${memberId}/accept`, { headers });
  expect(accepted.status(), `accepting failed: ${await accepted.text()}`).toBe(200);
  return { person, memberId, api, headers };
}

async function addPatient(p: Practitioner, firstName: string, lastName: string, yearOfBirth: number): Promise<string> {
  const res = await p.api.post('/api/patients', { data: { firstName, lastName, yearOfBirth }, headers: p.headers });
  expect(res.status(), `adding a patient failed: ${await res.text()}`).toBe(201);
  return ((await res.json()) as { patient: { id: string } }).patient.id;
}

interface Counts {
  activeProgrammes: number;
  disabledByRemoval: number;
  patients: number;
}

async function programmeCounts(request: APIRequestContext, orgId: string, memberId: string): Promise<Counts> {
  const res = await request.get(`/api/organisations/${orgId}/members/${memberId}/programme-counts`);
  expect(res.status(), `programme counts failed: ${await res.text()}`).toBe(200);
  return (await res.json()) as Counts;
}

test.describe('organisation console: programmes, import, transfer and sharing', () => {
  test('an owner pauses and resumes a practitioner’s programmes, imports patients, transfers one and sets up sharing', async ({ page, baseURL }) => {
    test.setTimeout(180_000);
    const orgName = `Clinic ${Date.now().toString(36)}`;
    const setup = await createOwnerWithOrganisation(baseURL!, orgName, newPerson('Olivia Grant'));
    const nina = await addPractitioner(baseURL!, setup, 'Nina Okoye');
    const tom = await addPractitioner(baseURL!, setup, 'Tom Berg');
    const orgId = setup.organisation.id;

    // Nina's patients, one of them with an active programme.
    const petraId = await addPatient(nina, 'Petra', 'Lindqvist', 1961);
    await addPatient(nina, 'Omar', 'Haddad', 1980);
    const library = await nina.api.get('/api/exercises?limit=1');
    expect(library.status()).toBe(200);
    const exerciseId = ((await library.json()) as { exercises: { id: string }[] }).exercises[0]!.id;
    const assigned = await nina.api.post(`/api/patients/${petraId}/programmes`, {
      data: { title: 'Knee strength', startDate: new Date().toISOString().slice(0, 10), items: [{ exerciseId, sets: 3, reps: 10 }] },
      headers: nina.headers,
    });
    expect(assigned.status(), `assigning failed: ${await assigned.text()}`).toBe(201);
    await Promise.all([nina.api.dispose(), tom.api.dispose(), setup.api.dispose()]);

    await signIn(page, setup.owner.email, setup.owner.password);
    const ninaPage = `/console/${orgId}/users/${nina.memberId}`;

    await test.step('1. removing access says first how many programmes will be paused', async () => {
      await page.goto(ninaPage);
      await expect(page.getByRole('heading', { level: 1, name: 'Nina Okoye' })).toBeVisible();
      await page.getByRole('button', { name: 'Remove access' }).click();
      const dialog = page.getByRole('dialog', { name: "Remove Nina Okoye's access?" });
      await expect(dialog.getByTestId('paused-programmes')).toHaveText('1 active programme will be paused.');
      await expect(dialog.getByRole('button', { name: 'Transfer patients first' })).toBeVisible();
      await dialog.getByRole('button', { name: 'Remove access' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('member-status')).toHaveText('Access removed');
      expect(await programmeCounts(page.request, orgId, nina.memberId)).toEqual({ activeProgrammes: 0, disabledByRemoval: 1, patients: 2 });
    });

    await test.step('2. granting access again re-activates the paused programme', async () => {
      await page.getByRole('button', { name: 'Grant access again' }).click();
      const dialog = page.getByRole('dialog', { name: 'Grant Nina Okoye access again?' });
      const reactivate = dialog.getByRole('checkbox', { name: 'Re-activate the 1 programme paused when access was removed' });
      await expect(reactivate).toBeChecked();
      await dialog.getByRole('button', { name: /^(Grant access again|Confirm and buy licence)$/ }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('member-status')).toHaveText('Active');
      expect(await programmeCounts(page.request, orgId, nina.memberId)).toEqual({ activeProgrammes: 1, disabledByRemoval: 0, patients: 2 });
    });

    await test.step('3. a CSV file with one bad row is imported into Nina’s list', async () => {
      await page.getByRole('navigation', { name: 'Organisation console' }).getByRole('link', { name: 'Patient import' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Patient import' })).toBeVisible();
      await page.getByLabel('Practitioner').selectOption({ label: 'Nina Okoye' });
      const csv = ['external id,first name,last name,year of birth', 'IMP-1,Ada,Import,1970', 'IMP-2,Ben,Badyear,19x5', 'IMP-3,Cara,Import,1985', ''].join('\n');
      await page.getByTestId('import-file-input').setInputFiles({ name: 'patients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await expect(page.getByTestId('import-preview')).toHaveText('patients.csv: 3 patient rows (and a header row)');
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const result = page.getByTestId('import-result');
      await expect(result.getByTestId('import-status')).toHaveText('Done');
      await expect(result.getByTestId('import-created')).toHaveText('2 patients created');
      await expect(result.getByTestId('import-rejected-count')).toHaveText('1 row refused');
      const refused = result.getByTestId('import-rejected-row');
      await expect(refused).toHaveCount(1);
      await expect(refused.getByRole('cell').first()).toHaveText('3');
      await expect(refused).toContainText('year of birth');
      await expect(page.getByTestId('import-row').first()).toContainText('patients.csv');
    });

    await test.step('4. a patient is transferred to Tom from Nina’s page', async () => {
      await page.goto(ninaPage);
      await page.getByRole('button', { name: 'Transfer patients and content' }).click();
      const dialog = page.getByRole('dialog', { name: "Transfer Nina Okoye's patients and content" });
      await expect(dialog.getByTestId('transfer-patient-row')).toHaveCount(4);
      await dialog.getByLabel('Transfer to').selectOption({ label: 'Tom Berg' });
      await dialog.getByLabel('Search patients').fill('lindqvist');
      await expect(dialog.getByTestId('transfer-patient-row')).toHaveCount(1);
      await expect(dialog.getByTestId('transfer-patient-row')).toContainText('1961');
      await dialog.getByRole('checkbox', { name: 'Select Petra Lindqvist' }).check();
      await expect(dialog.getByTestId('transfer-selected')).toHaveText('Selected: 1 patient');
      await dialog.getByRole('button', { name: 'Review transfer' }).click();
      await expect(dialog.getByTestId('transfer-confirm-summary')).toHaveText('Move 1 patient from Nina Okoye to Tom Berg?');
      await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByText('1 patient moved to Tom Berg.', { exact: false })).toBeVisible();
      expect(await programmeCounts(page.request, orgId, tom.memberId)).toEqual({ activeProgrammes: 1, disabledByRemoval: 0, patients: 1 });
      expect((await programmeCounts(page.request, orgId, nina.memberId)).patients).toBe(3);
    });

    await test.step('5. the share group and the content account are set up', async () => {
      await page.getByRole('navigation', { name: 'Organisation console' }).getByRole('link', { name: 'Sharing & content' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Sharing & content' })).toBeVisible();
      await page.getByRole('switch', { name: 'Share patients within the group' }).check();
      const group = page.getByRole('group', { name: 'Group members' });
      await group.getByRole('checkbox', { name: 'Nina Okoye' }).check();
      await group.getByRole('checkbox', { name: 'Tom Berg' }).check();
      await page.getByRole('combobox', { name: 'Content account' }).selectOption({ label: 'Nina Okoye' });
      const recipients = page.getByRole('group', { name: 'Practitioners who receive its content' });
      await expect(recipients.getByRole('checkbox')).toHaveCount(1);
      await recipients.getByRole('checkbox', { name: 'Tom Berg' }).check();
      await page.getByRole('button', { name: 'Save sharing' }).click();
      await expect(page.getByText('Sharing saved')).toBeVisible();

      await page.reload();
      await expect(page.getByRole('switch', { name: 'Share patients within the group' })).toBeChecked();
      await expect(page.getByRole('switch', { name: 'Share exercises and templates within the group' })).not.toBeChecked();
      await expect(page.getByRole('group', { name: 'Group members' }).getByRole('checkbox', { name: 'Tom Berg' })).toBeChecked();
      await expect(page.getByRole('combobox', { name: 'Content account' })).toHaveValue(nina.memberId);
      await expect(page.getByRole('group', { name: 'Practitioners who receive its content' }).getByRole('checkbox', { name: 'Tom Berg' })).toBeChecked();
    });
  });
});
