// Browser tests of personal data: a person finds the privacy page from the
// footer, downloads their data (JSON and PDF), erases their account after a
// confirmation; the programme manager sees it in the audit log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertAccessible, launchBrowser, shot, startServer } from './harness.mjs';

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
    await signIn(page, 'marie@boulangerie-dupont.fr');
    await page.goto(server.base + '/compte');
    await page.getByRole('link', { name: 'Mes données : télécharger ou effacer' }).click();
    await page.waitForURL('**/compte/donnees');
    await assertAccessible(page, 'my data');
    await shot(page, 'privacy-my-data');

    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#download-json').click()]);
    const data = JSON.parse(readFileSync(await json.path(), 'utf8'));
    assert.equal(data.email, 'marie@boulangerie-dupont.fr');
    const regs = data.sections
      .find((s) => s.kind === 'registrations')
      .tables.find((t) => t.table === 'workshop_registrations').rows;
    assert.ok(regs.length > 0);
    assert.ok(!JSON.stringify(data).includes('karim@'));
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
    await admin.getByLabel('Rechercher (auteur, personne, détail)').fill('marie@boulangerie-dupont.fr');
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
});
