// Browser test of follow-up files: a business owner who attended a workshop
// asks for coaching (contact form, topic "coaching"); the adviser takes the
// request in the inbox, opens a file from the "Suivi 4 mois" template (its
// five activities are planned at once), records a meeting shared with the
// business, refers it to a partner body; the body answers through the
// private link of its mail, without an account; the owner's home shows the
// shared part (the meeting, the referral taken up), never private notes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launchBrowser, startServer } from './harness.mjs';
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

const waitMailTo = (to, subject) => waitMailIn(server.mailDir, to, subject);

async function signIn(page, email) {
  await page.goto(server.base + '/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.locator('#password').fill('demo-tremplin-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

const today = () => new Date().toISOString().slice(0, 10);

describe('follow-up files', () => {
  test('from a coaching request to the shared part on the owner home', async () => {
    const ownerCtx = await browser.newContext({ locale: 'fr-FR' });
    const owner = await ownerCtx.newPage();
    await signIn(owner, 'marie@boulangerie-dupont.fr');
    assert.match(owner.url(), /\/accueil$/);

    // The owner asks for coaching.
    await owner.goto(server.base + '/contact');
    await owner.locator('#name').fill('Marie Dupont');
    await owner.locator('#email').fill('marie@boulangerie-dupont.fr');
    await owner.locator('#topic').selectOption('coaching');
    await owner.locator('#message').fill('Après l\'atelier, je voudrais être accompagnée pour la commande en ligne.');
    await owner.locator('#consent').check();
    await owner.locator('form[action="/contact"] button[type="submit"]').click();
    await owner.waitForURL(/\/contact\/merci$/);

    // The adviser takes it in the inbox.
    const advCtx = await browser.newContext({ locale: 'fr-FR' });
    const adviser = await advCtx.newPage();
    await signIn(adviser, 'conseiller@tremplin-demo.fr');
    await adviser.getByRole('link', { name: 'Demandes d\'accompagnement' }).first().click();
    await adviser.waitForURL(/\/accompagnement\/demandes$/);
    await assertAccessible(adviser, 'coaching inbox');
    const request = adviser.locator('article[data-request-status="open"]', { hasText: 'commande en ligne' }).first();
    await request.getByRole('button', { name: 'Je la prends' }).click();
    await adviser.waitForURL(/\/accompagnement\/demandes$/);
    const told = await waitMailTo('marie@boulangerie-dupont.fr', /demande d'accompagnement/);
    assert.match(told.text, /Karim Conseiller/);

    // Opens a file from the template.
    const taken = adviser.locator('article[data-request-status="taken"]', { hasText: 'commande en ligne' }).first();
    await taken.getByRole('link', { name: 'Ouvrir un dossier' }).click();
    await adviser.waitForURL(/\/dossiers\/nouveau/);
    await adviser.locator('#business').selectOption({ label: 'Boulangerie Dupont' });
    await adviser.locator('#template').selectOption({ label: 'Suivi 4 mois' });
    await adviser.getByRole('button', { name: 'Ouvrir le dossier' }).click();
    await adviser.waitForURL(/\/dossiers\/\d+\?ouvert=1/);
    assert.equal(await adviser.locator('[data-planned="1"]').count(), 5);
    await assertAccessible(adviser, 'file page');

    // Records a meeting shared with the business.
    await adviser.locator('#kind').selectOption('meeting');
    await adviser.locator('#title').fill('Rendez-vous commande en ligne');
    await adviser.locator('#date').fill(today());
    await adviser.locator('#time').fill('07:00');
    await adviser.locator('#minutes').fill('60');
    await adviser.locator('#place').fill('Boulangerie');
    await adviser.locator('#shared').check();
    await adviser.getByRole('button', { name: 'Ajouter une activité' }).click();
    await adviser.waitForURL(/enregistre=1/);
    await adviser.locator('[data-kind="meeting"]', { hasText: 'Rendez-vous commande en ligne' }).first().waitFor();

    // Refers the business to a partner body.
    await adviser.locator('#ref-body').selectOption({ label: 'CCI Bordeaux Gironde — pôle numérique' });
    await adviser.locator('#ref-note').fill('Site avec commande en ligne.');
    await adviser.getByRole('button', { name: 'Orienter' }).click();
    await adviser.waitForURL(/oriente=1/);

    // The body answers through its private link, without an account.
    const mail = await waitMailTo('numerique@cci-demo.fr', /orientation de Boulangerie Dupont/);
    const m = mail.text.match(/\/orientation\/[0-9a-f]{64}/);
    assert.ok(m, mail.text);
    const bodyCtx = await browser.newContext({ locale: 'fr-FR' });
    const body = await bodyCtx.newPage();
    await body.goto(server.base + m[0]);
    await assertAccessible(body, 'referral answer');
    await body.getByLabel('Prise en charge').check();
    await body.locator('#answer').fill('Rendez-vous fixé.');
    await body.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await body.getByText('Merci, votre réponse est transmise au conseiller.').waitFor();

    // The owner's home shows the shared part, never the private note.
    await owner.goto(server.base + '/accueil');
    await owner.getByText('Rendez-vous commande en ligne').first().waitFor();
    assert.ok(await owner.locator('[data-referral-status="taken-up"]').count() >= 1);
    const html = await owner.content();
    assert.ok(!html.includes('hésite à investir seule'), 'private notes stay private');
    await assertAccessible(owner, 'owner home');
    await ownerCtx.close();
    await advCtx.close();
    await bodyCtx.close();
  });
});
