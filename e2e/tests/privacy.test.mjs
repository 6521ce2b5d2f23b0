// Browser tests of personal data: a person finds the privacy page from the
// footer, downloads their data (JSON and PDF), erases their account after a
// confirmation; the programme manager sees it in the audit log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertAccessible, launchBrowser, shot, startServer, waitMail } from './harness.mjs';

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

async function signIn(page, email) {
  await page.goto(server.base + '/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.locator('#password').fill('demo-tremplin-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

// A new business owner of this run only: on PostgreSQL every browser test
// file shares one database, so erasing a demo account would take it from the
// files that run after this one.
async function signUp(page, email) {
  const password = 'une phrase de passe solide';
  await page.goto(server.base + '/inscription');
  await page.getByLabel(/une entreprise, un artisan/).check();
  await page.getByLabel('Nom et prénom').fill('Élise Éphémère');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Choisissez un mot de passe').fill(password);
  await page.getByLabel('Confirmez le mot de passe').fill(password);
  await page.getByLabel(/J'accepte les conditions/).check();
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
  const body = await waitMail(server.mailDir, email);
  const link = body.match(/https?:\/\/\S+\/verification\/[0-9a-f]+/)[0];
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await page.getByText('Bienvenue ! Votre compte est prêt.').waitFor();
}

describe('personal data', () => {
  test('privacy and accessibility pages from the footer', async () => {
    const ctx = await browser.newContext({ locale: 'fr-FR' });
    const page = await ctx.newPage();
    await page.goto(server.base + '/');
    await page.locator('footer').getByRole('link', { name: 'Confidentialité' }).click();
    await page.waitForURL('**/confidentialite');
    await assertAccessible(page, 'privacy page');
    assert.equal(await page.locator('#register-short tbody tr').count() >= 7, true);
    await page.locator('footer').getByRole('link', { name: /Accessibilité/ }).click();
    await page.waitForURL('**/accessibilite');
    await assertAccessible(page, 'accessibility statement');
    assert.equal(await page.locator('#conformity').getAttribute('data-status'), 'partial');
    await ctx.close();
  });

  test('a person downloads their data and erases their account; the manager sees it', async () => {
    const ctx = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
    const page = await ctx.newPage();
    const email = `elise.${Date.now()}@ephemere.fr`;
    await signUp(page, email);
    await page.goto(server.base + '/compte');
    await page.getByRole('link', { name: 'Mes données : télécharger ou effacer' }).click();
    await page.waitForURL('**/compte/donnees');
    await assertAccessible(page, 'my data');
    await shot(page, 'privacy-my-data');

    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#download-json').click()]);
    const data = JSON.parse(readFileSync(await json.path(), 'utf8'));
    assert.equal(data.email, email);
    assert.ok(JSON.stringify(data).includes('Élise Éphémère'));
    assert.ok(!JSON.stringify(data).includes('karim@'));
    assert.ok(!JSON.stringify(data).includes('marie@'));
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('#download-pdf').click()]);
    assert.equal(readFileSync(await pdf.path()).subarray(0, 5).toString(), '%PDF-');

    // Erasure asks for a confirmation first.
    await page.locator('#erase-link').click();
    await page.waitForURL('**/compte/donnees/effacer');
    await assertAccessible(page, 'erase confirmation');
    await page.getByRole('button', { name: 'Effacer définitivement' }).click();
    await page.locator('#error-summary').waitFor();
    await page.getByLabel("Je confirme l'effacement définitif").check();
    await page.getByRole('button', { name: 'Effacer définitivement' }).click();
    await page.waitForURL('**/confidentialite?efface=1');
    await page.locator('[data-erased]').waitFor();
    await ctx.close();

    // The manager finds the access request and the erasure in the log.
    const admin = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await signIn(admin, 'responsable@tremplin-demo.fr');
    await admin.goto(server.base + '/admin/journal');
    await assertAccessible(admin, 'audit log');
    await admin.getByLabel('Rechercher (auteur, personne, détail)').fill(email);
    await admin.getByRole('button', { name: 'Filtrer' }).click();
    await admin.locator('#audit').waitFor();
    assert.ok((await admin.locator('tr[data-action="erasure"]').count()) === 1);
    assert.ok((await admin.locator('tr[data-action="access_request"]').count()) === 2);
    await shot(admin, 'privacy-audit');
    await admin.goto(server.base + '/admin/donnees-personnelles');
    await assertAccessible(admin, 'register of processing');
    await admin.goto(server.base + '/admin/donnees-personnelles/demande?email=karim%40garage-benali.fr');
    await assertAccessible(admin, 'request by post');
    assert.ok((await admin.locator('#request-data tbody tr').count()) >= 7);
  });

  test('consents: given in my space, withdrawn in one click from a mail link; the manager sees the ledger', async () => {
    const ctx = await browser.newContext({ locale: 'fr-FR' });
    const page = await ctx.newPage();
    const email = `camille.${Date.now()}@consent.fr`;
    await signUp(page, email);
    // Every mail carries the signed link to the person's consents.
    const body = await waitMail(server.mailDir, email);
    const link = body.match(/https?:\/\/\S+\/consentement\?e=[0-9a-f]+&s=[0-9a-f]+/)[0];
    await page.goto(server.base + '/compte/donnees');
    await page.locator('#consents-link').click();
    await page.waitForURL('**/compte/consentements');
    await assertAccessible(page, 'my consents');
    assert.equal(await page.locator('[data-purpose="signup"]').getAttribute('data-state'), 'granted');
    await page.locator('#give-newsletter').click();
    await page.locator('#consent-done').waitFor();
    assert.equal(await page.locator('[data-purpose="newsletter"]').getAttribute('data-state'), 'granted');
    await ctx.close();

    // From the mail, without signing in: one click.
    const anon = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await anon.setViewportSize({ width: 320, height: 700 });
    await anon.goto(link);
    await assertAccessible(anon, 'consents from a mail link');
    await shot(anon, 'privacy-consent-link');
    await anon.locator('#withdraw-newsletter').click();
    await anon.locator('#consent-done').waitFor();
    assert.equal(await anon.locator('[data-purpose="newsletter"]').getAttribute('data-state'), 'withdrawn');
    // A changed link is refused.
    await anon.goto(link.replace(/s=[0-9a-f]{4}/, 's=0000'));
    await anon.locator('#bad-link').waitFor();

    const admin = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await signIn(admin, 'responsable@tremplin-demo.fr');
    await admin.goto(server.base + '/admin/consentements?q=' + encodeURIComponent(email));
    await assertAccessible(admin, 'consent ledger');
    assert.equal(await admin.locator('tr[data-purpose="newsletter"]').count(), 2);
    assert.equal(await admin.locator('tr[data-purpose="newsletter"][data-granted="0"]').count(), 1);
  });
});
