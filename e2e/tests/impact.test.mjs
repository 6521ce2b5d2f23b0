// Browser test of the funders' dashboard: a funder logs in, reaches the
// indicators from their home page, filters by department and period, reads
// a chart's data table and downloads the XLSX and the PDF.
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

const PW = 'demo-tremplin-2026';

describe('funders dashboard', () => {
  test('a funder filters the indicators, reads a chart table and downloads the exports', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(server.base + '/connexion');
    await page.locator('#email').fill('financeur@tremplin-demo.fr');
    await page.locator('#password').fill(PW);
    await page.locator('form[action="/connexion"] button[type="submit"]').click();
    await page.waitForLoadState();

    // From the funder's home to the indicators.
    await page.locator('[data-home="funder"] a[href="/tableau-de-bord"]').click();
    await page.waitForURL('**/tableau-de-bord');
    await page.locator('#table-funnel').waitFor();
    await assertAccessible(page, 'dashboard');
    // The demo programme: month 14 of 28 against 1,600 businesses.
    assert.match(await page.locator('#dashboard-pace').innerText(), /au mois 14 sur 28/);

    // Filter by department and period.
    await page.locator('#f-territoire').selectOption('FR-D33');
    const year = new Date().getFullYear();
    await page.locator('#f-du').fill(`${year - 2}-01-01`);
    await page.locator('#f-au').fill(`${year + 1}-12-31`);
    await page.locator('#dashboard-filter-submit').click();
    await page.waitForURL(/territoire=FR-D33/);
    assert.match(page.url(), /du=\d{4}-01-01/);
    assert.equal(await page.locator('#f-territoire').inputValue(), 'FR-D33');

    // The funnel chart is an image with a title, followed by its table.
    const chart = page.locator('#chart-funnel');
    assert.equal(await chart.getAttribute('role'), 'img');
    assert.match(await page.locator('#chart-funnel-title').textContent(), /Parcours des entreprises/);
    const rows = page.locator('#table-funnel tbody tr');
    assert.equal(await rows.count(), 7);
    const aware = await page.locator('#table-funnel tr[data-indicator="aware"] td').first().innerText();
    assert.match(aware, /^\d+$/);
    assert.ok((await page.locator('#table-timeline tbody tr').count()) >= 28);
    await assertAccessible(page, 'filtered dashboard');
    await shot(page, 'impact-dashboard');

    // Downloads keep the filters.
    assert.match(await page.locator('#export-xlsx').getAttribute('href'), /territoire=FR-D33/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('#export-xlsx').click()]);
    assert.equal(xlsx.suggestedFilename(), 'indicateurs.xlsx');
    assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('#export-pdf').click()]);
    assert.equal(pdf.suggestedFilename(), 'rapport.pdf');
    assert.equal(readFileSync(await pdf.path()).subarray(0, 5).toString(), '%PDF-');
    await context.close();
  });

  test('a manager limits a partner to what it brought and follows another programme', async () => {
    const manager = await browser.newContext({ locale: 'fr-FR' });
    const page = await manager.newPage();
    await page.goto(server.base + '/connexion');
    await page.locator('#email').fill('responsable@tremplin-demo.fr');
    await page.locator('#password').fill(PW);
    await page.locator('form[action="/connexion"] button[type="submit"]').click();
    await page.waitForLoadState();

    // The team page: the funder's account reads one partner's businesses.
    await page.goto(server.base + '/admin/equipe');
    const scope = page.locator('form[data-scope] select').first();
    await scope.waitFor();
    const partner = await scope.locator('option').nth(1).innerText();
    await scope.selectOption({ index: 1 });
    await page.locator('form[data-scope] button[type="submit"]').first().click();
    await page.waitForLoadState();
    assert.match(await page.locator('.notice').first().innerText(), /ne lit plus que les chiffres/);
    await assertAccessible(page, 'team with a partner scope');

    // The coordination view: a bad address is refused, what was typed kept.
    await page.goto(server.base + '/tableau-de-bord');
    await page.locator('#coordination-link').click();
    await page.waitForURL('**/tableau-de-bord/coordination');
    await page.locator('#coord-table').waitFor();
    assert.equal(await page.locator('#coord-table tr[data-figure="funnel_aware"] td').count(), 2);
    await page.locator('#url').fill('pas une adresse');
    await page.locator('#coord-form button[type="submit"]').click();
    await page.waitForLoadState();
    await page.locator('#url-error').waitFor();
    assert.equal(await page.locator('#url').inputValue(), 'pas une adresse');
    await assertAccessible(page, 'coordination with an error');
    await shot(page, 'impact-coordination');
    await manager.close();

    // The funder now reads the partner's figures only, and says so.
    const funder = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
    const fpage = await funder.newPage();
    await fpage.goto(server.base + '/connexion');
    await fpage.locator('#email').fill('financeur@tremplin-demo.fr');
    await fpage.locator('#password').fill(PW);
    await fpage.locator('form[action="/connexion"] button[type="submit"]').click();
    await fpage.waitForLoadState();
    await fpage.goto(server.base + '/tableau-de-bord');
    const notice = await fpage.locator('#partner-scope').innerText();
    assert.ok(notice.includes(partner.replace(/^les entreprises amenées par /, '')), notice);
    assert.equal(await fpage.locator('#f-partenaire option').count(), 1);
    await assertAccessible(fpage, 'dashboard of a partner');
    const [edih] = await Promise.all([fpage.waitForEvent('download'), fpage.locator('#export-edih').click()]);
    assert.equal(edih.suggestedFilename(), 'edih.xlsx');
    assert.equal(readFileSync(await edih.path()).subarray(0, 2).toString(), 'PK');
    await funder.close();
  });
});
