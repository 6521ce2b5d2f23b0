// The manager's and the business owner's workshop journeys (issue 13), at
// 375 px and 1280 px: a session created with sectors picked from grouped
// checkboxes, a series whose lines keep their length, a session page that
// says what happens, "vous êtes inscrit·e" instead of the form, a cancellation
// that asks first, a walk-in at the check-in, the reports and the directory
// synonyms. Every page visited is axe clean and fits a 320 px screen.
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

function inDays(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('manager journeys', () => {
  for (const w of WIDTHS) {
    test(`workshops at ${w.width} px`, async () => {
      const title = `Parcours ${w.name} : être visible`;
      const staff = await browser.newContext({ locale: 'fr-FR', viewport: { width: w.width, height: w.height } });
      const admin = await staff.newPage();
      await signIn(admin, server.base, 'responsable@tremplin-demo.fr');

      // 1. A session, its sectors picked from grouped checkboxes with a filter.
      await admin.goto(server.base + '/admin/ateliers/nouveau');
      await admin.getByRole('heading', { level: 1, name: 'Nouvelle séance' }).waitFor();
      await check(admin, `new session form (${w.name})`);
      await admin.locator('#theme_id').selectOption({ index: 1 });
      await admin.locator('#format').selectOption('awareness');
      await admin.locator('#title_fr').fill(title);
      await admin.locator('#date').fill(inDays(12));
      await admin.locator('#start').fill('14:00');
      await admin.locator('#venue').fill('Salle des fêtes');
      await admin.locator('#address').fill('1 place de la Mairie');
      await admin.locator('#commune_code').selectOption('FR-C33063');
      await admin.locator('#capacity').fill('12');
      const filter = admin.locator('#sector-filter');
      await filter.waitFor();
      await filter.fill('commerce de détail');
      const retail = admin.locator('input[name="sectors"][value="47"]');
      await retail.waitFor();
      assert.ok(await retail.isVisible(), 'the filter opens the group holding the match');
      assert.equal(await admin.locator('input[name="sectors"][value="01"]').isVisible(), false);
      await retail.check();
      await admin.getByRole('button', { name: 'Créer la séance' }).click();
      await admin.waitForURL(/\/admin\/ateliers\/\d+\?cree=1$/);
      const id = admin.url().match(/\/admin\/ateliers\/(\d+)/)[1];

      // 2. A series: a line with its own start keeps the length; "3 séances créées".
      await admin.goto(server.base + '/admin/ateliers/serie');
      await check(admin, `series form (${w.name})`);
      await admin.locator('#theme_id').selectOption({ index: 2 });
      await admin.locator('#format').selectOption('custom');
      await admin.locator('#capacity').fill('15');
      await admin.locator('#start').fill('09:00');
      await admin.locator('#end').fill('12:30');
      const d = inDays(30 + w.width % 7);
      await admin.locator('#lines').fill(`${d} 18:00; Bordeaux\n${d} 14:00-18:30; Libourne\n${d}; Arcachon`);
      await admin.getByRole('button', { name: 'Créer les séances' }).click();
      await admin.waitForURL(/serie=3/);
      await admin.locator('#series-created').filter({ hasText: '3 séances créées' }).waitFor();
      await check(admin, `sessions list (${w.name})`);
      await shot(admin, `journeys-series-${w.name}`);

      // 3. The owner reads the session page, registers, and is told so.
      const owner = await browser.newContext({ locale: 'fr-FR', viewport: { width: w.width, height: w.height } });
      const marie = await owner.newPage();
      await signIn(marie, server.base, 'marie@boulangerie-dupont.fr');
      await marie.goto(`${server.base}/ateliers/${id}`);
      await marie.getByRole('heading', { level: 2, name: 'Ce qui se passe pendant la séance' }).waitFor();
      assert.match(await marie.locator('[data-fact="price"]').textContent(), /Gratuit/);
      assert.match(await marie.locator('[data-fact="suited"]').textContent(), /Commerce de détail/);
      assert.ok(await marie.locator('a[data-action="map"]').isVisible());
      await check(marie, `session page (${w.name})`);
      await marie.locator('#consent').check();
      await marie.getByRole('button', { name: 'Confirmer mon inscription' }).click();
      await marie.getByRole('heading', { name: 'Vous êtes inscrit·e' }).waitFor();
      assert.equal(await marie.locator('form[action$="/inscription#register"]').count(), 0);
      await check(marie, `registered session page (${w.name})`);
      await shot(marie, `journeys-registered-${w.name}`);
      // Coming back shows the same.
      await marie.goto(`${server.base}/ateliers/${id}`);
      await marie.getByRole('heading', { name: 'Vous êtes inscrit·e' }).waitFor();

      // 4. Cancelling asks first, then offers to register again.
      await marie.locator('#inscription').getByRole('button', { name: "Annuler l'inscription" }).click();
      await marie.getByRole('heading', { name: 'Annuler votre inscription ?' }).waitFor();
      await check(marie, `cancel confirmation (${w.name})`);
      await marie.getByRole('button', { name: 'Oui, annuler mon inscription' }).click();
      await marie.getByText('Votre inscription est annulée').waitFor();
      await marie.locator('a[data-action="register-again"]').waitFor();
      assert.equal(await marie.locator('a[data-action="add-calendar"]').count(), 0);
      await check(marie, `cancelled registration (${w.name})`);

      // 5. At the check-in: a walk-in is added present, the list is searchable.
      await admin.goto(`${server.base}/intervenant/seances/${id}/presence`);
      await check(admin, `check-in (${w.name})`);
      await admin.locator('#walk-in #name').fill('Jeanne Roux');
      await admin.locator('#walk-in #email').fill(`jeanne-${w.name}@fleurs-roux.fr`);
      await admin.locator('#walk-in #business_name').fill('Fleurs Roux');
      await admin.getByRole('button', { name: 'Ajouter et marquer présente' }).click();
      await admin.getByText('La personne est ajoutée et marquée présente.').waitFor();
      await admin.locator('#q').fill('fleurs');
      await admin.getByRole('button', { name: 'Chercher', exact: true }).click();
      await admin.waitForURL(/q=fleurs/);
      const rows = admin.locator('li.checkin-row');
      assert.equal(await rows.count(), 1);
      assert.equal(await rows.first().getAttribute('data-attendance'), 'present');
      await check(admin, `check-in search (${w.name})`);

      // 6. Reports and the directory's synonyms.
      await admin.goto(server.base + '/admin/ateliers/bilan');
      await admin.locator('#comments').waitFor();
      await check(admin, `feedback report (${w.name})`);
      await admin.goto(server.base + '/admin/annuaire/synonymes');
      assert.match(await admin.locator('#body').inputValue(), /webmaster/);
      await check(admin, `synonyms (${w.name})`);
      await staff.close();
      await owner.close();
    });
  }
});
