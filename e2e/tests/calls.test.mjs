// Browser test of a call for projects and its jury: the programme manager
// creates a call with a two-row grid and a juror, Marie (a baker) applies
// from her account, the juror scores her project on his own sheet, the
// manager sees the total and awards 5,000 EUR, and the award appears among
// Marie's grant applications as obtained.
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

const MANAGER = 'responsable@tremplin-demo.fr';
const JUROR = 'conseiller@tremplin-demo.fr';
const OWNER = 'marie@boulangerie-dupont.fr';
const TITLE = 'Appel à projets Fournil durable';
const PROJECT = 'Un four à pain chauffé par concentrateur solaire, pour réduire la facture de gaz.';

/** A new browser context signed in as `email`. */
async function signedIn(email) {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await signIn(page, server.base, email);
  return { context, page };
}

describe('calls', () => {
  test('a call goes from its grid to a juror\'s score and an obtained grant', async () => {
    // The manager creates the call: dates, grid, juror, a funding scheme.
    const manager = await signedIn(MANAGER);
    let page = manager.page;
    await page.goto(server.base + '/admin/appels/nouveau');
    await page.locator('#kind').selectOption('call_for_projects');
    await page.locator('#title_fr').fill(TITLE);
    await page.locator('#opens_on').fill('2020-01-01');
    await page.locator('#closes_on').fill('2099-12-31');
    const scheme = await page.locator('#funding_scheme option:not([value=""])').first().getAttribute('value');
    await page.locator('#funding_scheme').selectOption(scheme);
    await page.locator('#crit-label-fr-0').fill('Innovation');
    await page.locator('#crit-max-0').fill('20');
    await page.locator('#crit-label-fr-1').fill('Impact local');
    await page.locator('#crit-max-1').fill('10');
    await page.locator('#jurors label', { hasText: 'Karim Conseiller' }).locator('input').check();
    await page.locator('#status').selectOption('published');
    await page.getByRole('button', { name: "Enregistrer l'appel" }).click();
    await page.locator('#calls-saved').waitFor();
    const callId = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(callId > 0, page.url());
    assert.equal(await page.locator('#apps-none').count(), 1, 'no application yet');

    // Marie finds it among the open calls and applies.
    const owner = await signedIn(OWNER);
    page = owner.page;
    await page.goto(server.base + '/appels');
    await page.locator(`[data-call="${callId}"][data-phase="open"]`).waitFor();
    await page.goto(`${server.base}/appels/${callId}`);
    assert.ok((await page.locator('main').innerText()).includes('Impact local'));
    await page.locator('#apply-link').click();
    await page.locator('#apply-form').waitFor();
    await page.locator('#title').fill('Four solaire');
    await page.locator('#project').fill(PROJECT);
    await assertAccessible(page, 'application form');
    await page.getByRole('button', { name: 'Déposer' }).click();
    await page.locator('#application-submitted').waitFor();
    await page.locator('#application-readonly').waitFor();
    assert.equal(await page.locator('#apply-form').count(), 0, 'submitted: no longer editable');

    // The juror scores it on his own sheet.
    const juror = await signedIn(JUROR);
    page = juror.page;
    await page.goto(server.base + '/jury');
    const row = page.locator(`[data-call="${callId}"] tr[data-sheet="todo"]`);
    await row.waitFor();
    await row.getByRole('link').click();
    await page.locator('#sheet-form').waitFor();
    assert.ok((await page.locator('main').innerText()).includes(PROJECT));
    await page.locator('#points-0').fill('15');
    await page.locator('#points-1').fill('8');
    await page.locator('#comment').fill('Projet solide et utile au quartier.');
    await assertAccessible(page, 'score sheet');
    await page.getByRole('button', { name: 'Valider ma fiche' }).click();
    await page.locator('#sheet-final').waitFor();
    assert.equal(await page.locator('[data-my-total="23"]').count(), 1);
    await shot(page, 'calls-sheet');

    // The manager sees the total and awards.
    page = manager.page;
    await page.goto(`${server.base}/admin/appels/${callId}`);
    const app = page.locator('#apps-table tr[data-status="submitted"]', { hasText: 'Boulangerie Dupont' });
    await app.waitFor();
    assert.equal(await app.locator('[data-total="23"]').count(), 1, 'total of the sheet');
    assert.ok((await app.innerText()).includes('Karim Conseiller'), 'the juror\'s sheet is listed');
    await assertAccessible(page, 'manager\'s applications');
    await app.locator('select[name="decision"]').selectOption('awarded');
    await app.locator('input[name="amount"]').fill('5 000');
    await app.getByRole('button', { name: 'Enregistrer la décision' }).click();
    const awarded = page.locator('#apps-table tr[data-status="awarded"]', { hasText: 'Boulangerie Dupont' });
    await awarded.waitFor();
    assert.ok((await awarded.innerText()).includes('Lauréate'));
    await awarded.locator('a[data-funding]').waitFor();
    await shot(page, 'calls-awarded');

    // Marie sees the award as an obtained grant application.
    page = owner.page;
    await page.goto(server.base + '/mes-aides');
    const grant = page.locator('section.application[data-status="obtained"]');
    await grant.first().waitFor();
    const text = await grant.first().innerText();
    assert.match(text, /5\s?000/, text);
    assert.ok(text.includes('Obten'), text);
    await assertAccessible(page, 'my grant applications');
    await page.goto(`${server.base}/appels/${callId}`);
    await page.locator('[data-status="awarded"]').waitFor();

    for (const c of [manager, owner, juror]) await c.context.close();
  });
});
