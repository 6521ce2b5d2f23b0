// Browser test of the workshops: the programme manager creates a one-seat
// session; a first person finds it in the agenda, registers and confirms by
// mail (and gets the .ics invitation); a second one ends up on the waiting
// list; the first cancels, the seat is offered to the second, who accepts.
// The manager sees both in the registrations list; the check-in page is
// usable on a phone. One page is then checked in English.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launchBrowser, shot, startServer } from './harness.mjs';
import { waitMailTo as waitMailIn } from './mail.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// ---------------------------------------------------------------------------
// Mail files (see mail.mjs).

const waitMailTo = (to, subject) => waitMailIn(server.mailDir, to, subject);

/** The private /ateliers/i/{token} link of a mail, on the test server. */
function privateLink(mail) {
  const m = mail.text.match(/\/ateliers\/i\/[0-9a-f]{64}/);
  assert.ok(m, `no /ateliers/i/ link in the mail "${mail.subject}":\n${mail.text}`);
  return server.base + m[0];
}

// ---------------------------------------------------------------------------

const TITLE = 'Atelier e2e : ma vitrine en ligne';

/** YYYY-MM-DD, `days` from now. */
function inDays(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function signIn(page, email) {
  await page.goto(server.base + '/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.locator('#password').fill('demo-tremplin-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

/** Register on the session page (anonymous) and check the "almost done" notice. */
async function register(page, person, submit) {
  await page.locator('#name').fill(person.name);
  await page.locator('#email').fill(person.email);
  await page.locator('#business_name').fill(person.business);
  await page.locator('#consent').check();
  await page.getByRole('button', { name: submit }).click();
  await page.waitForURL(/\?inscription=pending/);
  await page.getByRole('status').filter({ hasText: 'Presque fini' }).waitFor();
}

describe('workshops', () => {
  test('create a session, register, waiting list, cancel, offer, accept (French), then English', async () => {
    const first = { name: 'Lucie Fournier', email: 'lucie@fournil-fournier.fr', business: 'Fournil Fournier' };
    const second = { name: 'Hugo Mercier', email: 'hugo@mercier-ebeniste.fr', business: 'Mercier Ébéniste' };

    // 1. The programme manager creates a one-seat session in Bordeaux.
    const staff = await browser.newContext({ locale: 'fr-FR' });
    const admin = await staff.newPage();
    await signIn(admin, 'responsable@tremplin-demo.fr');
    await admin.goto(server.base + '/admin/ateliers/nouveau');
    await admin.getByRole('heading', { name: 'Nouvelle séance' }).waitFor();
    await admin.locator('#theme_id').selectOption({ index: 1 });
    await admin.locator('#format').selectOption('awareness');
    await admin.locator('#title_fr').fill(TITLE);
    await admin.locator('#title_en').fill('E2E workshop: my shop window online');
    await admin.locator('#date').fill(inDays(10));
    await admin.locator('#start').fill('14:00');
    await admin.locator('#venue').fill('Salle des fêtes');
    await admin.locator('#commune_code').selectOption('FR-C33063');
    await admin.locator('#capacity').fill('1');
    await admin.getByRole('button', { name: 'Créer la séance' }).click();
    await admin.waitForURL(/\/admin\/ateliers\/\d+\?cree=1$/);
    const id = admin.url().match(/\/admin\/ateliers\/(\d+)/)[1];
    await admin.getByText('La séance est créée').waitFor();
    await shot(admin, 'workshops-admin-created');

    // 2. A first person browses the agenda, filters on Gironde and registers.
    const ctxA = await browser.newContext({ locale: 'fr-FR' });
    const pageA = await ctxA.newPage();
    await pageA.goto(server.base + '/ateliers');
    await pageA.getByRole('heading', { level: 1, name: 'Agenda des ateliers' }).waitFor();
    await assertAccessible(pageA, 'agenda');
    await shot(pageA, 'workshops-agenda');
    await pageA.locator('#territory').selectOption('FR-D33');
    await pageA.getByRole('button', { name: 'Filtrer' }).click();
    await pageA.waitForURL(/territory=FR-D33/);
    const card = pageA.locator('article.session-card').filter({ hasText: TITLE });
    await card.waitFor();
    assert.match(await card.textContent(), /Bordeaux/);
    assert.match(await card.textContent(), /1 place restante/);
    // Nouméa is not in Gironde.
    assert.equal(await pageA.locator('article.session-card').filter({ hasText: 'Nouméa' }).count(), 0);
    await card.getByRole('link', { name: TITLE }).click();
    await pageA.waitForURL(new RegExp(`/ateliers/${id}$`));
    await pageA.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    assert.match(await pageA.locator('.seats').textContent(), /1 place restante/);
    await assertAccessible(pageA, 'session page');
    await shot(pageA, 'workshops-session');
    await register(pageA, first, 'Confirmer mon inscription');

    let mail = await waitMailTo(first.email, /^Confirmez votre inscription/);
    await pageA.goto(privateLink(mail));
    await pageA.getByRole('heading', { name: 'Mon inscription' }).waitFor();
    assert.match(await pageA.locator('.reg-status').textContent(), /En attente de confirmation/);
    await pageA.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await pageA.getByText("C'est fait : votre adresse est confirmée.").waitFor();
    assert.equal((await pageA.locator('.reg-status').textContent()).trim(), 'Inscription confirmée');
    await assertAccessible(pageA, 'manage page');
    await shot(pageA, 'workshops-manage-confirmed');

    mail = await waitMailTo(first.email, /^Inscription confirmée/);
    const ics = mail.attachments.find((a) => a.filename === `atelier-${id}.ics`);
    assert.ok(ics, `the confirmed mail has no atelier-${id}.ics attachment: ${JSON.stringify(mail.attachments.map((a) => a.filename))} (${mail.contentType})`);
    assert.match(ics.contentType, /^text\/calendar/);
    assert.match(ics.content, /BEGIN:VCALENDAR/);
    assert.match(ics.content, /BEGIN:VEVENT/);
    const linkA = privateLink(mail);

    // 3. A second person registers: the session is full, the waiting list opens.
    const ctxB = await browser.newContext({ locale: 'fr-FR' });
    const pageB = await ctxB.newPage();
    await pageB.goto(`${server.base}/ateliers/${id}`);
    assert.match(await pageB.locator('.seats').textContent(), /Complet/);
    await pageB.getByRole('heading', { name: "S'inscrire sur la liste d'attente" }).waitFor();
    await register(pageB, second, "Rejoindre la liste d'attente");
    mail = await waitMailTo(second.email, /^Confirmez votre inscription/);
    await pageB.goto(privateLink(mail));
    await pageB.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await pageB.locator('.reg-status[data-status="waiting"]').waitFor();
    assert.match(await pageB.locator('.reg-status').textContent(), /liste d'attente, en 1re position/);
    await shot(pageB, 'workshops-manage-waiting');

    // 4. The first person cancels; the seat is offered to the second, who accepts.
    await pageA.goto(linkA);
    await pageA.getByRole('button', { name: "Annuler l'inscription" }).click();
    await pageA.getByRole('button', { name: 'Oui, annuler mon inscription' }).click();
    await pageA.getByText('Votre inscription est annulée').waitFor();
    assert.equal((await pageA.locator('.reg-status').textContent()).trim(), 'Annulée');

    mail = await waitMailTo(second.email, /^Une place s'est libérée/);
    assert.match(mail.text, /Une place s'est libérée/);
    await pageB.goto(privateLink(mail));
    assert.match(await pageB.locator('.reg-status').textContent(), /Place proposée/);
    await pageB.getByText("Une place s'est libérée pour vous").waitFor();
    await pageB.getByRole('button', { name: "J'accepte la place" }).click();
    await pageB.getByText('Votre place est confirmée').waitFor();
    assert.equal((await pageB.locator('.reg-status').textContent()).trim(), 'Inscription confirmée');
    await shot(pageB, 'workshops-manage-accepted');

    // 5. The manager's list: the second confirmed, the first cancelled.
    await admin.goto(`${server.base}/admin/ateliers/${id}/inscrits`);
    await admin.getByRole('heading', { level: 1, name: 'Inscrits' }).waitFor();
    const rowB = admin.locator('tbody tr').filter({ hasText: second.email });
    const rowA = admin.locator('tbody tr').filter({ hasText: first.email });
    assert.match(await rowB.textContent(), /Inscription confirmée/);
    assert.match(await rowA.textContent(), /Annulée/);
    await assertAccessible(admin, 'registrations list');
    await shot(admin, 'workshops-admin-registrations');

    // Attach Hugo's registration to a business of the register, found by search.
    await rowB.getByRole('link', { name: /Rattacher au registre/ }).click();
    await admin.getByRole('heading', { level: 1, name: 'Rattacher au registre' }).waitFor();
    await admin.getByLabel('Nom, SIREN ou adresse').fill('menuiserie garcia');
    await admin.getByRole('button', { name: 'Chercher' }).click();
    await admin.getByText('1 entreprise trouvée').waitFor();
    await assertAccessible(admin, 'attach to the register');
    await admin.getByRole('button', { name: 'Rattacher à Menuiserie Garcia et fils' }).click();
    await admin.getByText("L'inscription est rattachée à l'entreprise du registre").waitFor();
    assert.match(await admin.locator('tbody tr').filter({ hasText: second.email }).textContent(), /fiche du registre/);

    // The check-in page on a phone.
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.goto(`${server.base}/intervenant/seances/${id}/presence`);
    await admin.getByRole('heading', { level: 1, name: 'Pointer les présences' }).waitFor();
    await admin.locator('.checkin-row').filter({ hasText: second.name }).waitFor();
    assert.equal(await admin.locator('.checkin-row').filter({ hasText: first.name }).count(), 0);
    await assertAccessible(admin, 'check-in page (phone)');
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the check-in page scrolls sideways on a 390 px screen (${overflow} px)`);
    await shot(admin, 'workshops-checkin-phone');

    // A tap records the attendance in place: no reload, the count follows.
    await admin.evaluate(() => { window.noReload = true; });
    const rowSecond = admin.locator('.checkin-row').filter({ hasText: second.name });
    await rowSecond.getByRole('button', { name: 'Présent' }).click();
    await rowSecond.locator('.checkin-state').filter({ hasText: 'Présent' }).waitFor();
    await admin.locator('#present-count').filter({ hasText: /^1 présent\(s\) sur/ }).waitFor();
    assert.equal(await rowSecond.getByRole('button', { name: 'Présent' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await admin.evaluate(() => window.noReload), true, 'the check-in page reloaded');
    // Two quick changes of mind: the last tap wins, on screen and after a reload.
    await rowSecond.getByRole('button', { name: 'Absent' }).click();
    await rowSecond.getByRole('button', { name: 'Excusé' }).click();
    await rowSecond.locator('.checkin-state').filter({ hasText: 'Excusé' }).waitFor();
    await admin.locator('#present-count').filter({ hasText: /^0 présent\(s\) sur/ }).waitFor();
    assert.equal(await admin.evaluate(() => window.noReload), true, 'the check-in page reloaded');
    await admin.reload();
    assert.equal((await rowSecond.locator('.checkin-state').textContent()).trim(), 'Excusé');
    assert.equal(await rowSecond.getByRole('button', { name: 'Excusé' }).getAttribute('aria-pressed'), 'true');
    assert.match(await admin.locator('#present-count').textContent(), /^0 présent\(s\) sur/);

    // English, through the FR/EN switch: the session page.
    await pageB.goto(`${server.base}/ateliers/${id}`);
    await pageB.getByRole('link', { name: 'English' }).click();
    await pageB.getByRole('link', { name: 'Back to the agenda' }).waitFor();
    await pageB.getByRole('heading', { level: 1, name: 'E2E workshop: my shop window online' }).waitFor();
    assert.equal(await pageB.locator('html').getAttribute('lang'), 'en');
    assert.match(await pageB.locator('.seats').textContent(), /Full/);
    await pageB.getByRole('heading', { name: 'Join the waiting list' }).waitFor();
    await assertAccessible(pageB, 'session page (en)');
    await shot(pageB, 'workshops-session-en');

    await Promise.all([staff.close(), ctxA.close(), ctxB.close()]);
  });
});
