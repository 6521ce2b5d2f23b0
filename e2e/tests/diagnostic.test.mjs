// Browser test of the diagnostic: a craftsperson on a phone takes the quick
// check, goes back to change an answer, and gets scores and an ordered plan.
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

/** Answer the question on screen (first item ticked, rows rated 3, "partly"). */
async function answer(page) {
  const ticks = page.locator('input[name="tick"]');
  if (await ticks.count()) await ticks.first().check();
  const rows = page.locator('.scale-row');
  for (let i = 0; i < (await rows.count()); i++) {
    await rows.nth(i).locator('label', { hasText: /^3/ }).click();
  }
  const triple = page.locator('input[name="triple"][value="1"]');
  if (await triple.count()) await triple.check();
}

describe('diagnostic', () => {
  for (const lang of ['fr', 'en']) {
    test(`quick check on a phone (${lang})`, async () => {
      const t = lang === 'fr'
        ? { locale: 'fr-FR', start: 'Commencer le diagnostic express', next: 'Suivant', prev: 'Précédent', finish: 'Terminer', see: 'Voir mes résultats', results: 'Vos résultats', plan: "Votre plan d'action", error: /Choisissez une réponse|Indiquez une note/, later: 'Enregistrer et reprendre plus tard', missing6: '7 questions sans réponse.', todo: 'à compléter' }
        : { locale: 'en-GB', start: 'Start the quick check', next: 'Next', prev: 'Previous', finish: 'Finish', see: 'See my results', results: 'Your results', plan: 'Your action plan', error: /Choose an answer|Give every line/, later: 'Save and resume later', missing6: '7 questions without an answer.', todo: 'to answer' };
      let context = await browser.newContext({ locale: t.locale, viewport: { width: 360, height: 740 } });
      let page = await context.newPage();
      await page.goto(server.base + '/diagnostic');
      await assertAccessible(page, `diagnostic landing (${lang})`);
      await page.getByRole('button', { name: t.start }).click();
      // Profile: optional, continue.
      await page.locator('#sector_code').selectOption('47');
      await page.locator('#size_band').selectOption('1-9');
      // A postcode shared by several towns: they are offered, what was chosen is kept.
      await page.locator('#commune').fill('33330');
      await page.getByRole('button').filter({ hasText: lang === 'fr' ? 'Continuer' : 'Continue' }).click();
      await page.locator('#commune-error').waitFor();
      await page.locator('#commune-candidates-list').getByText('Saint-Émilion (33330)').waitFor();
      assert.equal(await page.locator('#sector_code').inputValue(), '47');
      await assertAccessible(page, `profile with towns to choose from (${lang})`);
      await page.locator('#commune').fill('Saint-Émilion (33330)');
      await page.getByRole('button').filter({ hasText: lang === 'fr' ? 'Continuer' : 'Continue' }).click();

      let first = true;
      for (let n = 1; n <= 12; n++) {
        await page.waitForURL(new RegExp(`/${n}$`));
        const isTriple = (await page.locator('input[name="triple"]').count()) > 0;
        const isScale = (await page.locator('.scale-row').count()) > 0;
        if (first && (isTriple || isScale)) {
          // Sending without an answer is explained, and nothing breaks.
          await page.getByRole('button', { name: n < 12 ? t.next : t.finish }).click();
          await page.locator('#question-error').getByText(t.error).waitFor();
          await assertAccessible(page, `question with error (${lang})`);
          await shot(page, `diagnostic-question-error-${lang}`);
          first = false;
        }
        await answer(page);
        if (n === 2) {
          // Go back and change the first answer; the second is kept.
          await page.getByRole('button', { name: t.next }).click();
          await page.waitForURL(/\/3$/);
          await page.getByRole('button', { name: t.prev }).click();
          await page.waitForURL(/\/2$/);
          await answer(page);
        }
        if (n === 6) {
          // Stop halfway: the answer is saved and the private link is shown...
          await page.getByRole('button', { name: t.later }).click();
          await page.waitForURL(/recapitulatif/);
          const link = await page.locator('a.private-link').getAttribute('href');
          await context.close();
          // ...and resuming later, elsewhere, from that link continues where it stopped.
          context = await browser.newContext({ locale: t.locale, viewport: { width: 360, height: 740 } });
          page = await context.newPage();
          await page.goto(link);
          await page.getByText(t.missing6).waitFor();
          // Leaving did not record the screen: it is kept as a draft to confirm.
          await page.locator('ol.summary li').filter({ hasText: t.todo }).first().getByRole('link').click();
          await page.waitForURL(/\/6$/);
          await page.locator('#draft-notice').waitFor();
          await page.getByRole('button', { name: t.next }).click();
          continue;
        }
        await page.getByRole('button', { name: n < 12 ? t.next : t.finish }).click();
      }
      await page.waitForURL(/recapitulatif$/);
      await page.getByRole('button', { name: t.see }).click();
      await page.getByRole('heading', { name: t.results, level: 1 }).waitFor();
      const score = Number(await page.locator('#overall-score').textContent());
      assert.ok(score > 0 && score < 100, `overall score ${score}`);
      assert.equal(await page.locator('svg.radar circle').count(), 6);
      await page.getByRole('heading', { name: t.plan }).waitFor();
      assert.ok((await page.locator('.plan-step').count()) > 0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `results scroll sideways by ${overflow}px`);
      await assertAccessible(page, `results (${lang})`);
      await shot(page, `diagnostic-results-${lang}`);
      await context.close();
    });
  }
});
