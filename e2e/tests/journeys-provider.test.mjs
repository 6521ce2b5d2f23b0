// The directory and needs journeys (issue 13), at 375 px and 1280 px: a
// baker searches in her own words ("webmaster", "site web boulangerie"),
// an empty search says what to do next, a card reads well on a phone and
// sends her need to that provider, the need page says once how many were
// told, and the provider finds it. Every page visited is axe clean and fits
// a 320 px screen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, shot, startServer } from './harness.mjs';
import { WIDTHS, check, signIn } from './journeys.mjs';

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

const PIXEL = 'Atelier Pixel Garonne';

describe('provider journeys', () => {
  for (const w of WIDTHS) {
    test(`directory and needs at ${w.width} px`, async () => {
      // 0. A partner's link lands on a page naming it, the diagnostic first.
      const visitor = await browser.newContext({ locale: 'fr-FR', viewport: { width: w.width, height: w.height } });
      const v = await visitor.newPage();
      await v.goto(server.base + '/p/club-entreprises-medoc');
      await v.getByRole('heading', { level: 1, name: /Bienvenue de la part de/ }).waitFor();
      await v.locator('a[data-action="diagnostic"]').waitFor();
      await check(v, `partner landing (${w.name})`);
      await visitor.close();

      const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: w.width, height: w.height } });
      const marie = await ctx.newPage();
      await signIn(marie, server.base, 'marie@boulangerie-dupont.fr');

      // 1. Her own words find the cards.
      for (const q of ['webmaster', 'site web boulangerie', 'site internet']) {
        await marie.goto(`${server.base}/annuaire?q=${encodeURIComponent(q)}`);
        await marie.locator('.provider-card h3').filter({ hasText: PIXEL }).waitFor();
      }
      await check(marie, `directory search (${w.name})`);
      assert.equal(await marie.locator('main a[href="/annuaire/export.json"]').count(), 0);
      assert.equal(await marie.locator('footer a[href="/annuaire/export.json"]').count(), 1);

      // 2. Nothing found: what to do next.
      await marie.goto(`${server.base}/annuaire?q=zzzyx&theme=site-vitrine`);
      await marie.locator('#next-steps').waitFor();
      await marie.locator('a[data-next="remove-theme"]').waitFor();
      await check(marie, `empty search (${w.name})`);

      // 3. The card reads well on a phone and sends her need to that provider.
      await marie.goto(`${server.base}/annuaire?q=webmaster`);
      await marie.locator('.provider-card h3 a').filter({ hasText: PIXEL }).click();
      await marie.getByRole('heading', { level: 1, name: PIXEL }).waitFor();
      await check(marie, `card (${w.name})`);
      const narrow = await marie.evaluate(() =>
        [...document.querySelectorAll('.facts dd')].filter((dd) => dd.getBoundingClientRect().width < 150).length);
      assert.equal(narrow, 0, 'no value squeezed beside its label');
      await shot(marie, `journeys-card-${w.name}`);
      await marie.locator('a[data-action="send-need"]').click();
      await marie.waitForURL(/\/besoins\/nouveau\?prestataire=\d+/);
      await marie.getByText(`Ce besoin sera aussi envoyé à ${PIXEL}`).waitFor();
      await check(marie, `need form for a card (${w.name})`);
      await marie.locator('#title').fill(`Un site pour la boulangerie (${w.name})`);
      await marie.locator('input[name="themes"]').first().check();
      await marie.getByRole('button', { name: 'Enregistrer et publier' }).click();
      await marie.waitForURL(/\/besoins\/\d+\?publie=\d+/);
      const main = await marie.locator('main').textContent();
      assert.equal((main.match(/prévenu/g) || []).length, 1, main);
      await check(marie, `published need (${w.name})`);
      await ctx.close();

      // 4. The provider finds the need in their space.
      const pctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: w.width, height: w.height } });
      const provider = await pctx.newPage();
      await signIn(provider, server.base, 'prestataire@tremplin-demo.fr');
      await provider.goto(server.base + '/prestataire/besoins');
      await provider.getByText(`Un site pour la boulangerie (${w.name})`).waitFor();
      await check(provider, `provider needs (${w.name})`);
      await pctx.close();
    });
  }
});
