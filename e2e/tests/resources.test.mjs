// Browser test of where the action plan leads: Marie, a baker in Bordeaux,
// finishes her diagnostic, follows a plan step to a guide, a workshop near
// her and an aid she is eligible for, simulates it for a 6,000 EUR quote and
// prepares the application; the adviser downloads the dossier.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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

const PW = 'demo-tremplin-2026';

async function signIn(page, email) {
  await page.goto(server.base + '/connexion');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PW);
  await page.locator('form[action="/connexion"] button[type="submit"]').click();
  await page.waitForLoadState();
}

/** Answer the question on screen (nothing ticked, rows rated 0, "no"). */
async function answerLow(page) {
  const rows = page.locator('.scale-row');
  for (let i = 0; i < (await rows.count()); i++) {
    await rows.nth(i).locator('label', { hasText: /^0/ }).click();
  }
  const triple = page.locator('input[name="triple"][value="0"]');
  if (await triple.count()) await triple.check();
}

describe('resources', () => {
  test('a baker follows her plan to a guide, a workshop and an aid', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await signIn(page, 'marie@boulangerie-dupont.fr');
    await page.goto(server.base + '/diagnostic');
    await page.getByRole('button', { name: 'Commencer le diagnostic express' }).click();
    for (let n = 1; n <= 12; n++) {
      await page.waitForURL(new RegExp(`/${n}$`));
      await answerLow(page);
      await page.getByRole('button', { name: n < 12 ? 'Suivant' : 'Terminer' }).click();
    }
    await page.waitForURL(/recapitulatif$/);
    await page.getByRole('button', { name: 'Voir mes résultats' }).click();
    await page.getByRole('heading', { name: "Votre plan d'action" }).waitFor();
    const results = page.url();
    assert.equal(await page.getByText('à venir').count(), 0);
    await assertAccessible(page, 'results with plan links');
    await shot(page, 'resources-plan');

    // A step with a workshop near her, guides and the regional grant.
    const step = page.locator('.helps').filter({ has: page.locator('[data-kind="workshops"]') })
      .filter({ has: page.locator('[data-kind="guides"]') })
      .filter({ has: page.locator('a[href="/aides/cheque-numerique-regional"]') }).first();
    await step.waitFor();

    await step.locator('[data-kind="guides"] a').first().click();
    await page.locator('article.guide h1').waitFor();
    await assertAccessible(page, 'guide page');
    await page.getByRole('button', { name: 'Oui' }).click();
    await page.locator('[data-voted="1"]').waitFor();

    await page.goto(results);
    await step.locator('[data-kind="workshops"] a').first().click();
    await page.waitForURL(/\/ateliers\/\d+$/);

    await page.goto(results);
    await step.locator('a[href="/aides/cheque-numerique-regional"]').click();
    await page.locator('#overall-eligibility[data-outcome="met"]').waitFor();
    await page.locator('#cout').fill('6000');
    await page.getByRole('button', { name: 'Simuler' }).click();
    const result = page.locator('#simulation-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-aid-cents'), '480000');
    assert.match(await result.textContent(), /4\s800\s€/);
    await assertAccessible(page, 'scheme page with simulation');
    await shot(page, 'resources-simulation');

    await page.locator('#project').fill('Site vitrine avec commande de gâteaux en ligne');
    await page.getByRole('button', { name: 'Préparer la demande' }).click();
    await page.waitForURL(/\/mes-aides/);
    await page.locator('section.application[data-status="prepared"]').waitFor();
    await assertAccessible(page, 'applications');
    const dossier = await page.locator('section.application a[href$="dossier.pdf"]').first().getAttribute('href');
    await context.close();

    // The adviser exports the dossier.
    const adviser = await browser.newContext({ locale: 'fr-FR' });
    const ap = await adviser.newPage();
    await signIn(ap, 'conseiller@tremplin-demo.fr');
    const res = await ap.request.get(server.base + dossier);
    assert.equal(res.status(), 200);
    const body = await res.body();
    assert.equal(body.subarray(0, 4).toString(), '%PDF');
    await adviser.close();
  });
});
