// Browser test of sponsors and the federated agenda: the programme manager
// adds a sponsor and subscribes to another agenda (an iCalendar feed served
// here on loopback); a visitor sees the sponsor and the federated events on
// the public agenda, marked with their source.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { assertAccessible, launchBrowser, shot, startServer } from './harness.mjs';

let server;
let browser;
let feed;

const stamp = Date.now();
const sponsorName = `Opérateur Lagon ${stamp}`;
const eventTitle = `Rencontre numérique ${stamp}`;

function ics() {
  const pad = (n) => String(n).padStart(2, '0');
  const utc = (d) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00Z`;
  const start = new Date(Date.now() + 20 * 86400000);
  const end = new Date(start.getTime() + 2 * 3600000);
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Voisin//FR',
    'BEGIN:VEVENT', `UID:voisin-${stamp}`, `SUMMARY:${eventTitle}`,
    `DTSTART:${utc(start)}`, `DTEND:${utc(end)}`, 'LOCATION:Nouméa',
    'URL:https://voisin.example/agenda/1', 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  feed = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
    res.end(ics());
  });
  await new Promise((resolve) => feed.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  feed?.close();
  await browser?.close();
  await server?.stop();
});

const PW = 'demo-tremplin-2026';

describe('sponsors and federated agenda', () => {
  test('the manager adds a sponsor and a feed; a visitor sees both on the agenda', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(server.base + '/connexion');
    await page.locator('#email').fill('responsable@tremplin-demo.fr');
    await page.locator('#password').fill(PW);
    await page.locator('form[action="/connexion"] button[type="submit"]').click();
    await page.waitForLoadState();

    await page.goto(server.base + '/admin/mecenes');
    await assertAccessible(page, 'sponsors admin');
    await page.locator('#name').fill(sponsorName);
    await page.locator('#link').fill('https://lagon.example');
    await page.locator('#category').selectOption('telecom');
    await page.locator('#tier').selectOption('gold');
    await page.locator('#amount').fill('40 000');
    await page.locator('#starts_on').fill('2026-01-01');
    await page.locator('#ends_on').fill('2099-12-31');
    await page.getByRole('button', { name: 'Ajouter le partenaire' }).click();
    await page.locator('#sponsors-saved').waitFor();
    assert.equal(await page.locator(`tr[data-sponsor="${sponsorName}"]`).count(), 1);

    await page.goto(server.base + '/admin/agendas-federes');
    await assertAccessible(page, 'federated agendas admin');
    await page.locator('#name').fill('Programme voisin');
    await page.locator('#url').fill(`http://127.0.0.1:${feed.address().port}/agenda.ics?${stamp}`);
    await page.getByRole('button', { name: 'Suivre cet agenda' }).click();
    await page.locator('#fed-notice').waitFor();
    assert.match(await page.locator('#fed-notice').innerText(), /ajouté/);
    await shot(page, 'federation-admin');
    await context.close();

    const visitor = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await visitor.goto(server.base + '/ateliers');
    const strip = visitor.locator('[data-sponsors="agenda"]');
    await strip.waitFor();
    assert.equal(await strip.locator(`[data-sponsor="${sponsorName}"]`).count(), 1);
    const federated = visitor.locator('#federated-agenda');
    await federated.waitFor();
    const card = federated.locator(`[data-federated-event="${eventTitle}"]`);
    assert.equal(await card.count(), 1);
    assert.match(await card.innerText(), /Programme voisin/);
    await assertAccessible(visitor, 'agenda with sponsors and federated events');
    await shot(visitor, 'federation-agenda');
    await visitor.goto(server.base + '/');
    assert.equal(await visitor.locator(`footer [data-sponsor="${sponsorName}"]`).count(), 1);
    await visitor.goto(server.base + '/donnees-ouvertes');
    await assertAccessible(visitor, 'open data catalogue');
  });
});
