/**
 * Patient engagement end to end (SPEC section 9a, R-PRG-2): a patient on a phone opens the
 * programme once and comes back without typing anything; offline they tick two exercises and rate
 * their pain 8; back online the entries arrive exactly once. The practitioner finds the alert on the
 * home page and the pain on the patient's chart; the reminder email arrives and the calendar file
 * opens; a message goes each way. The watched fixtures fail the test on a Content-Security-Policy
 * violation or a page error.
 */
import type { APIRequestContext } from '@playwright/test';
import { confirmEmail } from './support/console.ts';
import { expect, test } from './support/fixtures.ts';
import { apiContext, createAccount, mailbox, newPerson, signIn, signInThroughApi, uniqueEmail } from './support/helpers.ts';

/** The wall-clock time `minutes` from now in London, as HH:MM, and the weekday there (1 = Monday). */
function londonSoon(minutes: number): { time: string; weekday: number } {
  const at = new Date(Date.now() + minutes * 60_000);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { time: `${get('hour')}:${get('minute')}`, weekday };
}

test.describe('patient engagement', () => {
  test('offline ticks arrive once, the practitioner is alerted and sees the chart, reminders and messages work', async ({ page, newContext, baseURL }) => {
    test.setTimeout(240_000);
    const practitioner = newPerson('Nora Nightingale');
    const patient = { firstName: 'Walter', lastName: 'Whitfield', yearOfBirth: 1948, email: uniqueEmail('walter') };
    let api: APIRequestContext;
    let code = '';
    let programmeId = '';
    let exerciseNames: string[] = [];

    await test.step('setup: a practitioner on a free trial assigns a programme that tracks pain', async () => {
      await createAccount(baseURL!, practitioner);
      await confirmEmail(baseURL!, practitioner.email);
      const signedIn = await signInThroughApi(baseURL!, practitioner.email, practitioner.password);
      api = signedIn.api;
      const csrf = { 'x-csrf-token': signedIn.session.csrfToken };
      expect((await api.post('/api/me/subscription/trial', { headers: csrf })).status()).toBe(201);
      const stock = (await (await api.get('/api/exercises?source=stock&region=knee&limit=2')).json()).exercises as Array<{ id: string; name: string }>;
      exerciseNames = stock.map((e) => e.name);
      const created = await api.post('/api/patients', { headers: csrf, data: patient });
      expect(created.status()).toBe(201);
      const patientId = (await created.json()).patient.id as string;
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
      const assigned = await api.post(`/api/patients/${patientId}/programmes`, {
        headers: csrf,
        data: { title: 'Knee, weeks 1–4', startDate: today, trackAdherence: true, trackPain: true, items: stock.map((e) => ({ exerciseId: e.id, sets: 3, reps: 10 })) },
      });
      expect(assigned.status(), await assigned.text()).toBe(201);
      ({ code, id: programmeId } = (await assigned.json()).programme);
    });

    const phoneContext = await newContext({ label: 'patient phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const phone = await phoneContext.newPage();

    await test.step('1. the patient opens the programme once with the code and year of birth', async () => {
      await phone.goto(`/programme?code=${code}`);
      await phone.getByLabel('Year of birth').fill(String(patient.yearOfBirth));
      await phone.getByRole('button', { name: 'Open programme' }).click();
      await expect(phone.getByTestId('patient-today')).toBeVisible();
      await expect(phone.getByTestId('patient-exercise').filter({ hasText: exerciseNames[0]! })).toBeVisible();
      // The page is installable: a manifest and a service worker that controls it once ready.
      await expect(phone.locator('link[rel="manifest"]')).toHaveAttribute('href', /manifest/);
      await phone.waitForFunction(async () => Boolean(await navigator.serviceWorker?.ready));
    });

    await test.step('2. coming back, nothing is retyped: the page opens on today', async () => {
      await phone.goto('/programme');
      await expect(phone.getByTestId('patient-today')).toBeVisible();
      await expect(phone.getByLabel('Year of birth')).toHaveCount(0);
      await phone.reload();
      await expect(phone.getByTestId('patient-today')).toBeVisible();
      await phone.waitForFunction(() => Boolean(navigator.serviceWorker?.controller));
    });

    await test.step('3. offline, the patient ticks two exercises and rates their pain 8', async () => {
      await phoneContext.setOffline(true);
      // The programme opens without a connection.
      await phone.reload();
      await expect(phone.getByTestId('patient-today')).toBeVisible();
      await expect(phone.getByTestId('patient-offline')).toBeVisible();
      // After a tick the pain question follows at once.
      const first = phone.getByTestId('patient-exercise').filter({ hasText: exerciseNames[0]! });
      await phone.getByRole('button', { name: `Done: ${exerciseNames[0]}` }).click();
      await first.getByRole('button', { name: /^8: / }).click();
      await expect(first.getByTestId('patient-pain-words')).not.toBeEmpty();
      await phone.getByRole('button', { name: `Done: ${exerciseNames[1]}` }).click();
      await expect(phone.getByTestId('patient-entry')).toHaveCount(2);
      await expect(phone.getByTestId('patient-sync-status')).toHaveAttribute('data-state', 'pending');
      await expect(phone.getByTestId('patient-sync-status')).toContainText('Saved on this phone');
      // Nothing reached the server yet.
      const seen = await (await api.get(`/api/programmes/${programmeId}/engagement?days=7`)).json();
      expect(seen.days).toEqual([]);
    });

    await test.step('4. online again, the entries arrive exactly once', async () => {
      await phoneContext.setOffline(false);
      await phone.evaluate(() => window.dispatchEvent(new Event('online')));
      await expect(phone.getByTestId('patient-sync-status')).toHaveAttribute('data-state', 'sent', { timeout: 20_000 });
      await expect
        .poll(async () => (await (await api.get(`/api/programmes/${programmeId}/engagement?days=7`)).json()).days, { timeout: 20_000 })
        .toEqual([expect.objectContaining({ done: 2, pain: 8 })]);
      // Reloading sends nothing twice.
      await phone.reload();
      await expect(phone.getByTestId('patient-today')).toBeVisible();
      const view = await (await api.get(`/api/programmes/${programmeId}/engagement?days=7`)).json();
      expect(view.adherence).toEqual({ prescribed: 2, done: 2, share: 1 });
    });

    await test.step('5. the patient sets a reminder, adds the calendar and writes to the practice', async () => {
      const soon = londonSoon(1);
      const reminder = phone.getByTestId('patient-reminder');
      for (const day of await reminder.getByTestId('patient-reminder-day').all()) {
        const pressed = (await day.getAttribute('aria-pressed')) === 'true';
        const wanted = (await day.getAttribute('data-value')) === String(soon.weekday);
        if (pressed !== wanted) await day.click();
      }
      await reminder.getByTestId('patient-reminder-time').fill(soon.time);
      await reminder.getByTestId('patient-reminder-save').click();
      await expect(reminder.getByTestId('patient-reminder-current')).toBeVisible();

      await reminder.getByTestId('patient-calendar').click();
      const feed = await reminder.getByTestId('patient-calendar-url').inputValue();
      const ics = await phone.request.get(feed);
      expect(ics.status()).toBe(200);
      expect(ics.headers()['content-type']).toContain('text/calendar');
      const calendar = await ics.text();
      expect(calendar).toContain('BEGIN:VCALENDAR');
      expect(calendar).toContain('RRULE:');
      for (const name of exerciseNames) expect(calendar).not.toContain(name);

      const messages = phone.getByTestId('patient-messages');
      await messages.getByTestId('patient-messages-open').click();
      await messages.getByTestId('patient-message-text').fill('My knee is swollen after the second exercise.');
      await messages.getByTestId('patient-message-send').click();
      await expect(messages.getByTestId('patient-message').filter({ hasText: 'swollen' })).toBeVisible();
    });

    await test.step('6. the practitioner sees the alert on the home page and the chart on the patient', async () => {
      await signIn(page, practitioner.email, practitioner.password);
      const attention = page.getByTestId('attention-list');
      await expect(attention.getByTestId('attention-item').and(page.locator('[data-kind="pain_high"]'))).toBeVisible();
      await expect(attention.getByTestId('attention-item').and(page.locator('[data-kind="message"]'))).toBeVisible();
      await attention.getByTestId('attention-item').and(page.locator('[data-kind="pain_high"]')).getByRole('link').click();
      await expect(page.getByRole('heading', { level: 1, name: `${patient.firstName} ${patient.lastName}` })).toBeVisible();
      const engagement = page.getByTestId('programme-engagement');
      // The alert's link opens the programme on its Progress tab.
      await expect(engagement.getByRole('tab', { name: /Progress/ })).toHaveAttribute('aria-selected', 'true');
      await expect(engagement.getByTestId('pain-chart')).toBeVisible();
      await expect(engagement.getByTestId('pain-chart-summary')).toContainText('8');
    });

    await test.step('7. a message goes both ways', async () => {
      const engagement = page.getByTestId('programme-engagement');
      await engagement.getByRole('tab', { name: /Messages/ }).click();
      await expect(engagement.getByTestId('message').filter({ hasText: 'swollen' })).toBeVisible();
      await engagement.getByTestId('reply-text').fill('Leave the second one out until Thursday.');
      await engagement.getByRole('button', { name: 'Send reply' }).click();
      await expect(engagement.getByTestId('message').filter({ hasText: 'until Thursday' })).toBeVisible();

      await phone.reload();
      const messages = phone.getByTestId('patient-messages');
      await expect(messages.getByTestId('patient-unread')).toBeVisible();
      await messages.getByTestId('patient-messages-open').click();
      await expect(messages.getByTestId('patient-message').filter({ hasText: 'until Thursday' })).toBeVisible();
      // The practitioner was told of the message by email, without its text.
      const mail = await apiContext(baseURL!);
      const told = (await mailbox(mail, practitioner.email)).filter((m) => m.subject === 'You have a new message from a patient');
      expect(told).toHaveLength(1);
      expect(told[0]!.text).not.toContain('swollen');
      await mail.dispose();
    });

    await test.step('8. the reminder email arrives, with no clinical text and a one-click unsubscribe', async () => {
      const mail = await apiContext(baseURL!);
      let reminder: Awaited<ReturnType<typeof mailbox>>[number] | undefined;
      await expect
        .poll(
          async () => {
            reminder = (await mailbox(mail, patient.email)).find((m) => m.subject === 'Time for your exercises');
            return reminder !== undefined;
          },
          { timeout: 150_000, intervals: [2000] },
        )
        .toBe(true);
      for (const text of [...exerciseNames, 'Knee, weeks', 'pain']) expect(reminder!.text).not.toContain(text);
      expect(reminder!.links.some((l) => new URL(l).pathname === '/unsubscribe')).toBe(true);
      await mail.dispose();
    });
    await api!.dispose();
  });
});
