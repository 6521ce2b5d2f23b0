// Browser tests of the web shell: languages, the contact form, small screens,
// no-JavaScript use, accessibility.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launchBrowser, mails, shot, startServer } from './harness.mjs';

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

async function newPage(options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  const page = await context.newPage();
  return { context, page };
}

describe('home page', () => {
  test('is in French by default', async () => {
    const { context, page } = await newPage();
    await page.goto(server.base + '/');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await page.locator('h1').textContent(), 'Tremplin numérique Sud-Ouest');
    await page.getByRole('heading', { name: 'Ce que le programme vous propose' }).waitFor();
    assert.match(await page.locator('.target').textContent(), /Objectif : 1\u202F600 entreprises sensibilisées/);
    await assertAccessible(page, 'home (fr)');
    await shot(page, 'home-fr');
    await context.close();
  });

  test('follows the browser language when none was picked', async () => {
    const { context, page } = await newPage({ locale: 'en-GB' });
    await page.goto(server.base + '/');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('heading', { name: 'What the programme offers you' }).waitFor();
    await assertAccessible(page, 'home (en)');
    await shot(page, 'home-en');
    await context.close();
  });

  test('language switch changes and remembers the language', async () => {
    const { context, page } = await newPage();
    await page.goto(server.base + '/contact');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(server.base + '/contact');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('heading', { name: 'Contact the programme team' }).waitFor();
    // Stays in English on the next page.
    await page.getByRole('link', { name: 'Home' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('link', { name: 'Français' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.getByRole('heading', { name: 'Ce que le programme vous propose' }).waitFor();
    await context.close();
  });

  test('fits a 320 px wide phone screen', async () => {
    const { context, page } = await newPage({ viewport: { width: 320, height: 640 } });
    for (const p of ['/', '/contact']) {
      await page.goto(server.base + p);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${p} scrolls sideways by ${overflow}px at 320px`);
    }
    await shot(page, 'contact-320px');
    await context.close();
  });
});

describe('contact form', () => {
  test('shows field errors in French and keeps what was typed', async () => {
    const { context, page } = await newPage();
    await page.goto(server.base + '/contact');
    await page.getByLabel('Votre nom').fill('Marie Dupont');
    await page.getByLabel('Votre adresse e-mail').fill('marie@');
    await page.getByLabel('Sujet').selectOption('workshops');
    await page.getByLabel('Votre message').fill('Quand a lieu le prochain atelier à Thio ?');
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByRole('alert').getByText('Le formulaire contient des erreurs').waitFor();
    assert.match(await page.locator('#email-error').textContent(), /Saisissez une adresse e-mail valide/);
    assert.match(await page.locator('#consent-error').textContent(), /Cochez cette case/);
    assert.equal(await page.getByLabel('Votre nom').inputValue(), 'Marie Dupont');
    assert.equal(await page.getByLabel('Votre adresse e-mail').inputValue(), 'marie@');
    assert.equal(await page.getByLabel('Votre message').inputValue(), 'Quand a lieu le prochain atelier à Thio ?');
    assert.equal(await page.getByLabel('Sujet').inputValue(), 'workshops');
    await assertAccessible(page, 'contact form with errors (fr)');
    await shot(page, 'contact-errors-fr');

    // Correct the two fields and send.
    await page.getByLabel('Votre adresse e-mail').fill('marie@boulangerie-dupont.fr');
    await page.getByLabel(/J'accepte que mes informations/).check();
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByRole('heading', { name: 'Message envoyé' }).waitFor();
    await assertAccessible(page, 'contact sent (fr)');

    // The worker delivers the acknowledgement and the team's copy.
    let sent = [];
    for (let i = 0; i < 100 && sent.length < 2; i++) {
      sent = mails(server.mailDir);
      if (sent.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(sent.length, 2);
    assert.ok(sent.some((m) => m.includes('To: marie@boulangerie-dupont.fr')));
    await context.close();
  });

  test('shows English messages in English', async () => {
    const { context, page } = await newPage({ locale: 'en-US' });
    await page.goto(server.base + '/contact');
    await page.getByLabel('Your name').fill('J');
    await page.getByRole('button', { name: 'Send the message' }).click();
    await page.getByText('There is a problem with the form').waitFor();
    assert.match(await page.locator('#name-error').textContent(), /Enter at least 2 characters\./);
    assert.match(await page.locator('#email-error').textContent(), /This field is required\./);
    assert.equal(await page.getByLabel('Your name').inputValue(), 'J');
    await assertAccessible(page, 'contact form with errors (en)');
    await shot(page, 'contact-errors-en');
    await context.close();
  });

  test('works without JavaScript', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(server.base + '/contact');
    await page.getByLabel('Votre nom').fill('Paul Martin');
    await page.getByLabel('Votre adresse e-mail').fill('paul@garage-martin.fr');
    await page.getByLabel('Votre message').fill('Bonjour, je voudrais un diagnostic.');
    await page.getByLabel(/J'accepte que mes informations/).check();
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByRole('heading', { name: 'Message envoyé' }).waitFor();
    await context.close();
  });
});

describe('error pages', () => {
  test('an unknown page is a localised, accessible 404', async () => {
    const { context, page } = await newPage({ locale: 'en-US' });
    const res = await page.goto(server.base + '/no-such-page');
    assert.equal(res.status(), 404);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await assertAccessible(page, '404 (en)');
    await shot(page, 'not-found-en');
    await context.close();
  });
});
