// Issue 13, as people walk it: the baker's diagnostic on a phone (375 px)
// and a desktop (1280 px), the manager's set-up pages, the confirmation of
// destructive actions with and without JavaScript, the folded header.
// Every page visited is checked with axe and for horizontal overflow at 320 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launchBrowser, shot, startServer } from './harness.mjs';

const PASSWORD = 'demo-tremplin-2026';
const BAKER = 'marie@boulangerie-dupont.fr';
const MANAGER = 'responsable@tremplin-demo.fr';

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
  await page.locator('#password').fill(PASSWORD);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

/** The page's width at 320 px, then back to the context's viewport. */
async function assertNoOverflowAt320(page, label) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.setViewportSize(size);
  assert.ok(width <= 320, `${label}: ${width} px wide at 320 px`);
}

/** axe + no overflow at 320 px, for every page the journeys visit. */
async function check(page, label) {
  await assertAccessible(page, label);
  await assertNoOverflowAt320(page, label);
}

describe('journeys (issue 13)', () => {
  for (const width of [375, 1280]) {
    test(`the baker's diagnostic at ${width} px`, async () => {
      const context = await browser.newContext({ locale: 'fr-FR', viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(server.base + '/');
      await check(page, `home ${width}`);
      const header = await page.locator('header.site-header').boundingBox();
      if (width < 700) {
        // The header folds: the menu opens from a summary, no script needed.
        assert.ok(header.height <= 120, `header is ${header.height} px high on a phone`);
        const menu = page.locator('details.nav-menu');
        await menu.locator('summary').click();
        await menu.getByRole('link', { name: 'Diagnostic' }).waitFor();
        await check(page, `home with the menu open ${width}`);
        await menu.locator('summary').click();
      } else {
        await page.locator('nav.main-nav-wide').getByRole('link', { name: 'Diagnostic' }).waitFor();
      }
      await signIn(page, BAKER);
      await page.goto(server.base + '/diagnostic');
      await check(page, `diagnostic landing ${width}`);
      await page.getByRole('button', { name: /Commencer le diagnostic express/ }).click();
      await page.waitForURL(/\/diagnostic\/d\/[^/]+\/(1|profil)$/);
      if (page.url().endsWith('/profil')) {
        await check(page, `profile ${width}`);
        await page.getByRole('button', { name: 'Continuer' }).click();
      }
      await page.waitForURL(/\/1$/);
      // Walk to the first checklist and leave it blank with "save and resume later".
      for (let n = 1; n <= 12; n++) {
        await page.waitForURL(new RegExp(`/${n}$`));
        await check(page, `question ${n} ${width}`);
        if (await page.locator('input[name="tick"]').count()) {
          const instructions = await page.getByText(/Cochez ce qui s/).count();
          assert.equal(instructions, 1, 'the instruction is printed once');
          const box = await page.locator('input[name="tick"]').first().boundingBox();
          assert.ok(box.width >= 19 && box.height >= 19, `a checkbox is ${box.width}×${box.height}`);
          await page.getByRole('button', { name: 'Enregistrer et reprendre plus tard' }).click();
          await page.waitForURL(/recapitulatif/);
          await page.locator('[data-draft]').first().waitFor();
          await check(page, `summary with a draft ${width}`);
          await page.goto(page.url().replace(/\/recapitulatif.*$/, `/${n}`));
          await page.locator('#draft-notice').waitFor();
          assert.equal(await page.locator('input[name="tick"]:checked').count(), 0, 'still blank');
          break;
        }
        if (await page.locator('.scale-row').count()) {
          // The legend comes before the grid; leaving half-filled is allowed.
          const legend = await page.locator('#scale-legend').boundingBox();
          const grid = await page.locator('.scale-row').first().boundingBox();
          assert.ok(legend.y < grid.y, 'legend before the grid');
          await page.locator('.scale-row').first().locator('label', { hasText: /^3/ }).click();
        }
        const triple = page.locator('input[name="triple"][value="1"]');
        if (await triple.count()) await triple.check();
        if (await page.locator('.scale-row').count()) {
          for (let i = 0; i < (await page.locator('.scale-row').count()); i++) {
            await page.locator('.scale-row').nth(i).locator('label', { hasText: /^3/ }).click();
          }
        }
        await page.getByRole('button', { name: 'Suivant' }).click();
      }
      await shot(page, `journeys-baker-question-${width}`);
      await context.close();
    });
  }

  test('the manager\'s set-up pages fit at 320 px and removing a territory is confirmed', { timeout: 120000 }, async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await signIn(page, MANAGER);
    await page.goto(server.base + '/admin/ateliers');
    const roster = await page.locator('a[href$="/inscrits"]').first().getAttribute('href');
    for (const path of [roster, '/admin/secteurs', '/admin/programme', '/admin/territoires']) {
      await page.goto(server.base + path);
      await check(page, path);
    }
    // With JavaScript: a dialog; "no" keeps the territory.
    await page.goto(server.base + '/admin/programme');
    const rows = page.locator('#territories ~ .table-wrap tbody tr');
    const before = await rows.count();
    assert.ok(before > 0);
    await rows.first().locator('button[data-confirm]').click();
    const dialog = page.locator('dialog.confirm-dialog');
    await dialog.waitFor();
    await assertAccessible(page, 'confirmation dialog');
    await dialog.locator('[data-confirm-no]').click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await rows.count(), before);
    // "yes" removes it.
    await rows.first().locator('button[data-confirm]').click();
    await dialog.locator('[data-confirm-yes]').click();
    await page.waitForURL(/retire=/);
    assert.equal(await rows.count(), before - 1);
    // The page a browser without JavaScript gets (checked here, where axe can run).
    await rows.first().locator('button[data-confirm]').evaluate((b) => b.removeAttribute('data-confirm'));
    await rows.first().locator('button[type=submit]').click();
    await page.locator('[data-confirm-page]').waitFor();
    await check(page, 'confirmation page');
    await context.close();

    // Without JavaScript: a confirmation page; "no" goes back, nothing removed.
    const nojs = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 }, javaScriptEnabled: false });
    const p2 = await nojs.newPage();
    await signIn(p2, MANAGER);
    await p2.goto(server.base + '/admin/programme');
    const rows2 = p2.locator('#territories ~ .table-wrap tbody tr');
    const count = await rows2.count();
    await rows2.first().locator('button[data-confirm]').click();
    await p2.locator('[data-confirm-page]').waitFor();
    await shot(p2, 'journeys-confirm-page');
    await p2.locator('[data-confirm-no]').click();
    await p2.locator('#territories').waitFor();
    assert.equal(await rows2.count(), count);
    await nojs.close();
  });
});
