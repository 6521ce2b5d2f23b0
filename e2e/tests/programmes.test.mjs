// Browser test of several programmes on one instance: a manager creates the
// extension of the programme across the border and sets its territory; the
// footer's chooser switches programmes; a visitor looking at the new
// territory's agenda lands in the new programme and sees its session only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launchBrowser, shot, startServer } from './harness.mjs';
import { signIn } from './journeys.mjs';

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

describe('several programmes', () => {
  test('a manager creates a second programme and visitors see the one of their territory', async () => {
    const manager = await browser.newContext({ locale: 'fr-FR' });
    const page = await manager.newPage();
    await signIn(page, server.base, 'responsable@tremplin-demo.fr');
    // One programme: no chooser yet.
    assert.equal(await page.locator('#programme-choice').count(), 0);

    // From the programme's page to the new programme's form.
    await page.goto(server.base + '/admin/programme');
    await page.locator('a[href="/admin/programmes/nouveau"]').click();
    await page.waitForURL('**/admin/programmes/nouveau');
    await assertAccessible(page, 'new programme form');
    // Submitted empty: the error is said beside the field, what was typed kept.
    await page.locator('#operator').fill('Chambre Wallonie');
    await page.locator('form[action="/admin/programmes/nouveau"] button[type="submit"]').click();
    await page.locator('#name-error').waitFor();
    assert.equal(await page.locator('#operator').inputValue(), 'Chambre Wallonie');
    await page.locator('#name').fill('Tremplin Wallonie');
    await page.locator('form[action="/admin/programmes/nouveau"] button[type="submit"]').click();
    await page.waitForURL('**/admin/programme?cree=1');
    assert.match(await page.locator('.notice-success').first().innerText(), /Tremplin Wallonie/);
    assert.equal(await page.locator('#name').inputValue(), 'Tremplin Wallonie');

    // It covers the province of Luxembourg.
    await page.locator('#territory').selectOption('BE-WLX');
    await page.locator('form:has(#territory) button[type="submit"]').click();
    await page.waitForLoadState();
    assert.equal(await page.locator('#programme-choice').inputValue(), 'tremplin-wallonie');
    await assertAccessible(page, 'programme page with two programmes');

    // A session of the new programme in Arlon.
    await page.goto(server.base + '/admin/ateliers/nouveau');
    const title = 'Wallonie : être visible en ligne';
    await page.locator('#theme_id').selectOption({ index: 1 });
    await page.locator('#format').selectOption('awareness');
    await page.locator('#title_fr').fill(title);
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('#date').fill(inTwoDays);
    await page.locator('#start').fill('14:00');
    await page.locator('#venue').fill('Maison de la culture');
    await page.locator('#address').fill('1 parc des Expositions');
    await page.locator('#commune_code').selectOption('BE-C81001');
    await page.locator('#capacity').fill('12');
    await page.getByRole('button', { name: 'Créer la séance' }).click();
    await page.waitForURL(/\/admin\/ateliers\/\d+\?cree=1$/);

    // Back to the first programme through the footer's chooser: its agenda
    // does not show the new session.
    await page.goto(server.base + '/ateliers');
    assert.equal(await page.locator('#programme-choice').inputValue(), 'tremplin-wallonie');
    assert.equal(await page.getByRole('link', { name: title }).count(), 1);
    await page.locator('#programme-choice').selectOption('demo');
    await page.locator('form.programme-choice button[type="submit"]').click();
    await page.waitForURL('**/ateliers');
    assert.equal(await page.locator('#programme-choice').inputValue(), 'demo');
    assert.equal(await page.getByRole('link', { name: title }).count(), 0);

    // The coordination view: both programmes and the whole instance.
    await page.goto(server.base + '/tableau-de-bord/coordination');
    const heads = await page.locator('#coord-local thead th').allInnerTexts();
    assert.deepEqual(heads.slice(2), ['Tremplin Wallonie', "Toute l'instance, sans double compte"]);
    await assertAccessible(page, 'coordination with two programmes');
    await manager.close();

    // A visitor looking at the province's agenda lands in its programme.
    const visitor = await browser.newContext({ locale: 'en-GB' });
    const v = await visitor.newPage();
    await v.goto(server.base + '/ateliers?territory=BE-WLX');
    assert.equal(await v.locator('#programme-choice').inputValue(), 'tremplin-wallonie');
    assert.equal(await v.getByRole('link', { name: title }).count(), 1);
    assert.match(await v.locator('label[for="programme-choice"]').innerText(), /Programme shown/);
    await assertAccessible(v, 'agenda of the second programme');
    await shot(v, 'programmes-agenda');
    await visitor.close();
    await manager.close();
  });
});
