// Browser tests of accounts and the register: sign up, verify, sign in,
// register and edit my business — in French and in English.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launchBrowser, shot, startServer, waitMail } from './harness.mjs';

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

const copy = {
  fr: {
    locale: 'fr-FR',
    signupLink: 'Créer un compte',
    business: /une entreprise, un artisan/,
    name: 'Nom et prénom',
    email: 'Adresse e-mail',
    password: 'Choisissez un mot de passe',
    confirm: 'Confirmez le mot de passe',
    consent: /J'accepte les conditions/,
    create: 'Créer mon compte',
    checkMail: 'Vérifiez votre messagerie',
    confirmButton: 'Confirmer mon adresse',
    welcome: 'Bienvenue ! Votre compte est prêt.',
    logout: 'Se déconnecter',
    loginLink: 'Connexion',
    passwordField: 'Mot de passe',
    loginButton: 'Se connecter',
    myBusiness: 'Mon entreprise',
    bizName: "Nom de l'entreprise",
    country: "Pays d'immatriculation",
    legalId: "Numéro d'immatriculation",
    sector: "Secteur d'activité",
    size: 'Nombre de salariés',
    commune: 'Commune',
    save: 'Enregistrer',
    checksum: /clé de contrôle/,
    saved: 'Les modifications sont enregistrées.',
  },
  en: {
    locale: 'en-GB',
    signupLink: 'Create an account',
    business: /a business, craftsperson/,
    name: 'Full name',
    email: 'Email address',
    password: 'Choose a password',
    confirm: 'Confirm the password',
    consent: /I accept the terms/,
    create: 'Create my account',
    checkMail: 'Check your inbox',
    confirmButton: 'Confirm my address',
    welcome: 'Welcome! Your account is ready.',
    logout: 'Sign out',
    loginLink: 'Sign in',
    passwordField: 'Password',
    loginButton: 'Sign in',
    myBusiness: 'My business',
    bizName: 'Business name',
    country: 'Country of registration',
    legalId: 'Registration number',
    sector: 'Business sector',
    size: 'Number of employees',
    commune: 'Municipality',
    save: 'Save',
    checksum: /check/i,
    saved: 'Your changes are saved.',
  },
};

const cases = [
  { lang: 'fr', email: 'jean@menuiserie-bois.fr', country: 'FR', goodId: '732 829 320', badId: '732 829 321' },
  { lang: 'en', email: 'anna@atelier-namur.be', country: 'BE', goodId: '0403.170.701', badId: '0403.170.702' },
];

describe('sign-up to my business', () => {
  for (const c of cases) {
    test(`in ${c.lang === 'fr' ? 'French' : 'English'}`, async () => {
      const t = copy[c.lang];
      const context = await browser.newContext({ locale: t.locale });
      const page = await context.newPage();
      const password = 'une phrase de passe solide';

      await page.goto(server.base + '/');
      await page.getByRole('link', { name: t.signupLink }).first().click();
      await assertAccessible(page, `sign-up (${c.lang})`);
      await page.getByLabel(t.business).check();
      await page.getByLabel(t.name).fill('Camille Artisan');
      await page.getByLabel(t.email).fill(c.email);
      await page.getByLabel(t.password).fill(password);
      await page.getByLabel(t.confirm).fill(password);
      await page.getByLabel(t.consent).check();
      await page.getByRole('button', { name: t.create }).click();
      await page.getByRole('heading', { name: t.checkMail }).waitFor();

      const body = await waitMail(server.mailDir, c.email);
      const link = body.match(/https?:\/\/\S+\/verification\/[0-9a-f]+/)[0];
      await page.goto(link);
      await page.getByRole('button', { name: t.confirmButton }).click();
      await page.getByText(t.welcome).waitFor();
      await assertAccessible(page, `account (${c.lang})`);

      // Sign out and back in.
      await page.getByRole('button', { name: t.logout, exact: true }).click();
      await page.getByRole('link', { name: t.loginLink, exact: true }).first().click();
      await page.getByLabel(t.email).fill(c.email);
      await page.locator('#password').fill(password);
      await page.getByRole('button', { name: t.loginButton }).click();
      await page.getByRole('link', { name: t.myBusiness }).first().click();

      // Register the business: a wrong check digit first.
      await page.getByLabel(t.bizName).fill('Atelier Camille');
      await page.getByLabel(t.country).selectOption(c.country);
      await page.getByLabel(t.legalId).fill(c.badId);
      await page.getByLabel(t.sector).selectOption('16');
      await page.getByLabel(t.size).selectOption('1-9');
      await page.getByRole('button', { name: t.save, exact: true }).click();
      assert.match(await page.locator('#legal_id-error').textContent(), t.checksum);
      assert.equal(await page.getByLabel(t.bizName).inputValue(), 'Atelier Camille');
      assert.equal(await page.getByLabel(t.sector).inputValue(), '16');
      await assertAccessible(page, `business form with errors (${c.lang})`);
      await shot(page, `business-errors-${c.lang}`);

      await page.getByLabel(t.legalId).fill(c.goodId);
      await page.getByRole('button', { name: t.save, exact: true }).click();
      await page.getByText(t.saved).waitFor();

      // Edit it.
      await page.getByLabel(t.bizName).fill('Atelier Camille & Associés');
      await page.getByRole('button', { name: t.save, exact: true }).click();
      await page.getByText(t.saved).waitFor();
      assert.equal(await page.getByLabel(t.bizName).inputValue(), 'Atelier Camille & Associés');
      await assertAccessible(page, `my business (${c.lang})`);
      await shot(page, `my-business-${c.lang}`);
      await context.close();
    });
  }
});
