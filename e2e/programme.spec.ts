/**
 * The practitioner's main journey of SPEC section 8, with R-SES-2 in the middle of it: a
 * practitioner with a free trial adds a patient (R-PAT-1) and builds a programme from the exercise
 * library (R-EXE-1, R-PRG-1); a sign-in of the same account elsewhere ends their session (R-SES-1),
 * and after signing in again the builder offers back everything picked and typed, down to the last
 * keystrokes. They assign it and read the code (R-PRG-2); the patient, on a phone without an account,
 * opens the emailed link, enters their year of birth and sees each exercise with its illustration and
 * its parameters in plain words. The watched fixtures fail the test on a Content-Security-Policy
 * violation or a page error.
 */
import type { Locator, Page, Response } from '@playwright/test';
import { confirmEmail, horizontalOverflow } from './support/console.ts';
import { expect, test } from './support/fixtures.ts';
import { apiContext, mailbox, newPerson, signIn, signUp, uniqueEmail, USER_AGENTS, waitForMailedLink } from './support/helpers.ts';

interface DraftItem {
  exercise: { id: string; name: string };
  sets: number | null;
  reps: number | null;
  durationSeconds: number | null;
  holdSeconds: number | null;
  restSeconds: number | null;
  timesPerDay: number | null;
  frequency: string;
  weekdays: number[];
  instructions: string;
  dose: string;
}

interface BuilderDraft {
  title?: string;
  items?: DraftItem[];
}

/** The next autosave of the programme draft for which `check` holds. */
function draftSaved(page: Page, patientId: string, check: (draft: BuilderDraft) => boolean): Promise<Response> {
  return page.waitForResponse((response) => {
    if (!response.url().endsWith(`/api/drafts/programme/${patientId}`) || response.request().method() !== 'PUT') return false;
    const body = response.request().postDataJSON() as { data?: BuilderDraft } | null;
    return body?.data ? check(body.data) : false;
  });
}

/** The picked exercise's card in the builder, found by its name. */
function builderItem(page: Page, name: string): Locator {
  return page.getByTestId('builder-item').filter({ has: page.getByRole('heading', { name }) });
}

test.describe('programme builder and the patient page', () => {
  test('a programme survives a sign-in elsewhere mid-build, is assigned, and opens on the patient’s phone', async ({ page, newContext, baseURL }) => {
    test.setTimeout(180_000);
    const practitioner = newPerson('Nina Okoye');
    const patient = { firstName: 'Petra', lastName: 'Lindqvist', yearOfBirth: '1961', email: uniqueEmail('petra') };
    const title = 'Knee strength, weeks 1-4';
    const firstNote = 'Slowly, and stop if it hurts';
    const lastKeystrokes = ' more than a little.';
    let patientId = '';
    let picked: [string, string] = ['', ''];

    await test.step('1. a new practitioner confirms their email and starts the free trial', async () => {
      await signUp(page, practitioner);
      await expect(page.getByTestId('subscription-required-notice')).toBeVisible();
      // Without a licence, the practitioner's sections are not offered.
      await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Patients/ })).toHaveCount(0);
      await confirmEmail(baseURL!, practitioner.email);
      await page.goto('/subscription');
      const offer = page.getByTestId('subscription-trial-offer');
      await offer.getByRole('button', { name: 'Start free trial' }).click();
      await expect(page.getByTestId('subscription-state')).toHaveText('Free trial');
    });

    await test.step('2. they add a patient, with the year of birth checked before sending', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Patients/ }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Patients' })).toBeVisible();
      await expect(page.getByText('No patients yet')).toBeVisible();
      await page.getByRole('button', { name: 'Add patient' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a patient' });
      await dialog.getByLabel('First name').fill(patient.firstName);
      await dialog.getByLabel('Last name').fill(patient.lastName);
      await dialog.getByLabel('Year of birth').fill('61');
      await dialog.getByLabel('Email').fill(patient.email);
      await dialog.getByRole('button', { name: 'Add patient' }).click();
      await expect(dialog.getByText('Enter the year with four digits, like 1961.')).toBeVisible();
      await dialog.getByLabel('Year of birth').fill(patient.yearOfBirth);
      await dialog.getByRole('button', { name: 'Add patient' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByRole('heading', { level: 1, name: `${patient.firstName} ${patient.lastName}` })).toBeVisible();
      await expect(page.getByTestId('patient-email')).toHaveText(patient.email);
      patientId = /\/patients\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;
    });

    await test.step('3. they pick two knee exercises from the library and set their parameters', async () => {
      await page.getByRole('link', { name: 'New programme' }).click();
      await expect(page.getByRole('heading', { level: 1, name: `New programme for ${patient.firstName} ${patient.lastName}` })).toBeVisible();
      const picker = page.getByTestId('exercise-picker');
      await picker.getByLabel('Body region').selectOption('knee');
      await expect(picker.getByText(/ of \d+ exercises$/)).toBeVisible();
      const rows = picker.getByTestId('picker-exercise');
      await expect(rows.first()).toContainText('Knee');
      picked = [(await rows.nth(0).getByRole('button').first().textContent())!, (await rows.nth(1).getByRole('button').first().textContent())!];
      await picker.getByRole('button', { name: `Add ${picked[0]}` }).click();
      await picker.getByRole('button', { name: `Add ${picked[1]}` }).click();
      await expect(page.getByRole('heading', { name: 'Exercises (2)' })).toBeVisible();

      await page.getByLabel('Title').fill(title);
      const first = builderItem(page, picked[0]);
      await first.getByLabel('Sets', { exact: true }).fill('3');
      await first.getByLabel('Repetitions', { exact: true }).fill('12');
      await first.getByLabel('Hold (seconds)').fill('5');
      await first.getByLabel('Rest (seconds)').fill('30');
      await first.getByText('Weekdays', { exact: true }).click();
      for (const day of ['Mon', 'Wed', 'Fri']) await first.getByText(day, { exact: true }).click();
      await expect(first.getByRole('checkbox', { name: 'Wednesday' })).toBeChecked();
      await expect(first.getByTestId('builder-item-summary')).toHaveText('The patient reads: 3 sets of 12 repetitions, hold 5 s, rest 30 s — once a day on Mon, Wed, Fri');

      const second = builderItem(page, picked[1]);
      await second.getByText('Time', { exact: true }).click();
      await second.getByLabel('Duration (seconds)').fill('45');
      await second.getByLabel('Sets', { exact: true }).fill('2');
      await second.getByLabel('Times per day').fill('2');
      await expect(second.getByTestId('builder-item-summary')).toContainText('2 sets of 45 s');
      await expect(second.getByTestId('builder-item-summary')).toContainText('twice a day');

      // Everything so far reaches the server as a draft.
      const saved = draftSaved(page, patientId, (d) => d.items?.[0]?.instructions === firstNote && d.items?.[1]?.timesPerDay === 2);
      await first.getByLabel('Instructions for the patient').fill(firstNote);
      expect((await saved).status()).toBe(200);
      await expect(page.getByTestId('draft-status')).toHaveText(/^Draft saved /);
    });

    await test.step('4. a sign-in of the same account elsewhere ends this session mid-build', async () => {
      const elsewhere = await (await newContext({ label: 'other device', userAgent: USER_AGENTS.firefoxOnWindows })).newPage();
      await signIn(elsewhere, practitioner.email, practitioner.password);

      // The last keystrokes are refused by the server, but not lost.
      const instructions = builderItem(page, picked[0]).getByLabel('Instructions for the patient');
      await instructions.press('End');
      await instructions.pressSequentially(lastKeystrokes);
      const notice = page.getByTestId('session-replaced');
      await expect(notice).toBeVisible();
      await expect(page.getByTestId('replaced-browser')).toHaveText('Firefox on Windows');
      await expect(page).toHaveURL(new RegExp(`/patients/${patientId}/programmes/new$`));
    });

    await test.step('5. after signing in again, the builder offers the draft back exactly', async () => {
      await page.getByTestId('session-replaced').getByRole('button', { name: 'Sign in again' }).click();
      await signIn(page, practitioner.email, practitioner.password);
      await expect(page).toHaveURL(new RegExp(`/patients/${patientId}/programmes/new$`));
      const offer = page.getByTestId('draft-offer');
      await expect(offer).toBeVisible();
      await expect(offer).toContainText('You have unsaved changes from today at');
      // Until restored, the builder shows a new, empty programme.
      await expect(page.getByRole('heading', { name: 'Exercises (0)' })).toBeVisible();
      await offer.getByRole('button', { name: 'Restore' }).click();
      await expect(offer).toBeHidden();

      await expect(page.getByLabel('Title')).toHaveValue(title);
      await expect(page.getByRole('heading', { name: 'Exercises (2)' })).toBeVisible();
      await expect(page.getByTestId('builder-item').nth(0).getByRole('heading')).toHaveText(`1. ${picked[0]}`);
      await expect(page.getByTestId('builder-item').nth(1).getByRole('heading')).toHaveText(`2. ${picked[1]}`);
      const first = builderItem(page, picked[0]);
      await expect(first.getByLabel('Sets', { exact: true })).toHaveValue('3');
      await expect(first.getByLabel('Repetitions', { exact: true })).toHaveValue('12');
      await expect(first.getByLabel('Hold (seconds)')).toHaveValue('5');
      for (const day of ['Monday', 'Wednesday', 'Friday']) await expect(first.getByRole('checkbox', { name: day })).toBeChecked();
      await expect(first.getByRole('checkbox', { name: 'Tuesday' })).not.toBeChecked();
      await expect(first.getByLabel('Instructions for the patient')).toHaveValue(`${firstNote}${lastKeystrokes}`);
      const second = builderItem(page, picked[1]);
      await expect(second.getByLabel('Duration (seconds)')).toHaveValue('45');
      await expect(second.getByLabel('Times per day')).toHaveValue('2');
    });

    let code = '';
    await test.step('6. they assign it and read the code', async () => {
      await page.getByRole('button', { name: 'Assign' }).click();
      const assigned = page.getByTestId('programme-assigned');
      await expect(assigned).toBeVisible();
      code = (await page.getByTestId('programme-code').textContent()) ?? '';
      expect(code).toMatch(/^[a-z]{8}$/);
      await expect(page.getByTestId('programme-code-hint')).toContainText(`${code.slice(0, 4).split('').join(' ')} · ${code.slice(4).split('').join(' ')}`);
      await expect(page.getByTestId('programme-emailed')).toContainText(`The code was emailed to ${patient.email}`);
      // The draft was for this programme only: it is gone.
      expect((await page.request.get(`/api/drafts/programme/${patientId}`)).status()).toBe(404);

      await assigned.getByRole('link', { name: `Back to ${patient.firstName} ${patient.lastName}` }).click();
      const programme = page.getByTestId('programme').filter({ hasText: title });
      await expect(programme.getByTestId('programme-state')).toHaveText('Active');
      await expect(programme.getByTestId('programme-code')).toHaveText(code);
      await expect(programme).toContainText(`${picked[0]} — 3 sets of 12 repetitions, hold 5 s, rest 30 s — once a day on Mon, Wed, Fri`);
    });

    await test.step('7. the patient opens the emailed link on a phone and sees the exercises with their illustrations', async () => {
      const mail = await apiContext(baseURL!);
      const link = await waitForMailedLink(mail, patient.email, '/programme');
      const message = (await mailbox(mail, patient.email))[0]!;
      await mail.dispose();
      expect(new URL(link).searchParams.get('code')).toBe(code);
      expect(message.text).toContain(`Your programme code is ${code}`);

      const phone = await (await newContext({ label: 'patient phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
      const url = new URL(link);
      await phone.goto(url.pathname + url.search);
      await expect(phone.getByRole('heading', { level: 1, name: 'Your exercise programme' })).toBeVisible();
      await expect(phone.getByLabel('Programme code')).toHaveValue(code);
      // The page stands alone: no navigation or account menu of the practitioner's app.
      await expect(phone.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

      await phone.getByLabel('Year of birth').fill('1962');
      await phone.getByRole('button', { name: 'Open programme' }).click();
      await expect(phone.getByTestId('programme-open-error')).toContainText('No programme matches this code and year of birth.');

      await phone.getByLabel('Year of birth').fill(patient.yearOfBirth);
      await phone.getByRole('button', { name: 'Open programme' }).click();
      await expect(phone.getByRole('heading', { level: 1, name: title })).toBeVisible();
      await expect(phone.getByText(`For ${patient.firstName}, from ${practitioner.name}`)).toBeVisible();
      await expect(phone.getByTestId('programme-notice')).toHaveCount(0);
      await expect(phone.getByRole('button', { name: 'Print' })).toBeVisible();

      const exercises = phone.getByTestId('patient-exercise');
      await expect(exercises).toHaveCount(2);
      // Today's exercises come first (R-ENG-1), so each is found by its number and name.
      const exercise = (index: number) => exercises.filter({ has: phone.getByRole('heading', { level: 3, name: `${index + 1}. ${picked[index]}`, exact: true }) });
      for (const [index, name] of picked.entries()) {
        await expect(exercise(index)).toHaveCount(1);
        const picture = exercise(index).getByRole('img', { name: `Illustration of ${name}` });
        await picture.scrollIntoViewIfNeeded();
        await expect(picture).toBeVisible();
        await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      }
      await expect(exercise(0).getByTestId('patient-exercise-dose')).toHaveText('3 sets of 12 repetitions, hold 5 s, rest 30 s — once a day on Mon, Wed, Fri');
      await expect(exercise(0).getByTestId('patient-exercise-instructions')).toContainText(`${firstNote}${lastKeystrokes}`);
      await expect(exercise(1).getByTestId('patient-exercise-dose')).toContainText('2 sets of 45 s');
      await expect(exercise(1).getByRole('heading', { name: 'How to do it' })).toBeVisible();

      const { scrollWidth, clientWidth } = await horizontalOverflow(phone);
      expect(scrollWidth, 'the programme fits the phone without scrolling sideways').toBeLessThanOrEqual(clientWidth);
    });
  });
});
