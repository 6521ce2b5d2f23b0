// Browser test of the directory and the needs: a new provider signs up,
// fills its card and sends it for approval; the programme manager approves
// it and the provider gets the "est publiée" mail; a business owner finds
// the card by search (no accent, lower case) and filters, opens it and reads
// how results are ordered; she writes a need through the guided brief and
// publishes it; the matching new provider gets the (captured) mail, opens the
// need and replies; she sees the reply. Accessibility is checked on the
// search page, the card page, the card form and the need page; the search
// page is shot at phone width; the English directory title is checked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, launchBrowser, shot, startServer } from './harness.mjs';
import { waitMailTo as waitMailIn } from './mail.mjs';

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

// ---------------------------------------------------------------------------
// Mail files (see mail.mjs).

const waitMailTo = (to, subject) => waitMailIn(server.mailDir, to, subject);

// ---------------------------------------------------------------------------

const PASSWORD_DEMO = 'demo-tremplin-2026';
const CARD = 'Électriciens Réunis du Bassin';
const SIREN = '732 829 320';
const THEME = 'Créer un site vitrine simple';
const NEED_TITLE = 'Un site vitrine pour la boulangerie et ses horaires';
const PROVIDER = { name: 'Lucas Bassin', email: 'lucas@electriciens-bassin.fr', password: 'une phrase de passe solide' };

async function signIn(page, email, password = PASSWORD_DEMO) {
  await page.goto(server.base + '/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

/** The results' card titles on a search page. */
async function hitNames(page) {
  return page.locator('.provider-card h3').allTextContents().then((t) => t.map((s) => s.trim()));
}

describe('directory and needs', () => {
  test('a provider signs up and is approved, a business finds it, posts a need and gets a reply', async () => {
    // 1. The provider signs up, confirms the address, creates the card.
    const providerCtx = await browser.newContext({ locale: 'fr-FR' });
    const provider = await providerCtx.newPage();
    await provider.goto(server.base + '/inscription');
    await provider.getByLabel('un prestataire du numérique').check();
    await provider.getByLabel('Nom et prénom').fill(PROVIDER.name);
    await provider.getByLabel('Adresse e-mail').fill(PROVIDER.email);
    await provider.getByLabel('Choisissez un mot de passe').fill(PROVIDER.password);
    await provider.getByLabel('Confirmez le mot de passe').fill(PROVIDER.password);
    await provider.getByLabel(/J'accepte les conditions/).check();
    await provider.getByRole('button', { name: 'Créer mon compte' }).click();
    await provider.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
    const verify = await waitMailTo(PROVIDER.email, /./);
    const link = verify.text.match(/https?:\/\/\S+\/verification\/[0-9a-f]+/);
    assert.ok(link, `no verification link in:\n${verify.text}`);
    await provider.goto(link[0]);
    await provider.getByRole('button', { name: 'Confirmer mon adresse' }).click();
    await provider.getByText('Bienvenue ! Votre compte est prêt.').waitFor();

    await provider.goto(server.base + '/prestataire');
    await provider.getByRole('heading', { name: 'Ma fiche prestataire', level: 1 }).waitFor();
    await provider.getByText("Vous n'avez pas encore de fiche.").waitFor();
    await provider.getByRole('link', { name: 'Créer ma fiche' }).click();
    await provider.waitForURL(/\/prestataire\/fiche\/nouvelle$/);
    await assertAccessible(provider, 'card form');
    await provider.getByLabel("Nom de l'entreprise").fill(CARD);
    await provider.getByLabel(/Identifiant légal/).fill(SIREN);
    await provider.getByLabel(/Métier/).fill('Électricien, réseaux et sites web');
    await provider.getByLabel(/Présentation/).fill(
      'Électriciens du bassin d\'Arcachon : réseaux, Wi-Fi et sites web vitrines pour les artisans et commerçants de Gironde.');
    await provider.locator('#themes').getByLabel(THEME).check();
    await provider.locator('#territories-select').selectOption(['FR-D33']);
    await provider.getByLabel(/Prix indicatifs/).fill('Site vitrine à partir de 1 200 € HT.');
    await shot(provider, 'directory-card-form');
    await provider.getByRole('button', { name: 'Créer la fiche' }).click();
    await provider.waitForURL(/\/prestataire\/fiche\/\d+\?cree=1$/);
    const cardId = Number(new URL(provider.url()).pathname.split('/').pop());
    await provider.getByText('La fiche est enregistrée en brouillon.', { exact: false }).waitFor();
    await assertAccessible(provider, 'card form (saved draft)');
    await provider.getByRole('button', { name: 'Envoyer pour validation' }).click();
    await provider.waitForURL(/\?soumise=1$/);
    await provider.getByText('En attente de validation', { exact: false }).first().waitFor();

    // Not public yet: the search does not show it.
    const anon = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await anon.goto(server.base + '/annuaire?q=electricien');
    assert.ok(!(await hitNames(anon)).includes(CARD), 'a pending card must not be listed');

    // 2. The programme manager approves it; the provider is told.
    const adminCtx = await browser.newContext({ locale: 'fr-FR' });
    const admin = await adminCtx.newPage();
    await signIn(admin, 'responsable@tremplin-demo.fr');
    await admin.goto(server.base + '/admin/annuaire');
    const pending = admin.locator(`#card-${cardId}`);
    await pending.getByRole('heading', { name: CARD }).waitFor();
    await pending.getByRole('button', { name: 'Valider', exact: true }).click();
    await admin.getByText('La fiche est publiée ; le prestataire est prévenu.').waitFor();
    const approved = await waitMailTo(PROVIDER.email, /est publiée/);
    assert.match(approved.subject, new RegExp(`« ${CARD} » est publiée`));
    assert.match(approved.text, new RegExp(`/prestataire/fiche/${cardId}`));
    await adminCtx.close();

    // 3. The business owner searches without accent, in lower case.
    const marieCtx = await browser.newContext({ locale: 'fr-FR' });
    const marie = await marieCtx.newPage();
    await signIn(marie, 'marie@boulangerie-dupont.fr');
    await marie.goto(server.base + '/annuaire');
    await marie.getByRole('heading', { name: 'Annuaire des prestataires du numérique', level: 1 }).waitFor();
    await marie.getByRole('searchbox', { name: 'Rechercher un prestataire' }).fill('electricien');
    await marie.getByRole('button', { name: 'Rechercher' }).click();
    await marie.waitForURL(/\/annuaire\?q=electricien/);
    let names = await hitNames(marie);
    assert.ok(names.includes(CARD), `"electricien" should find ${CARD}; got ${names.join(' | ')}`);
    // The demo's "Électriciens Connectés du Libournais" is found too.
    assert.ok(names.includes('Électriciens Connectés du Libournais'), names.join(' | '));
    await assertAccessible(marie, 'search page');
    await shot(marie, 'directory-search');

    // Territory facet: Gironde keeps the card (it serves the department).
    const facets = marie.locator('aside.facets');
    await facets.getByRole('link', { name: 'Gironde', exact: true }).click();
    await marie.waitForURL((u) => u.searchParams.get('territory') === 'FR-D33' && u.searchParams.get('q') === 'electricien');
    await facets.getByText('Gironde (', { exact: false }).waitFor();
    names = await hitNames(marie);
    assert.ok(names.includes(CARD), `territory FR-D33 keeps ${CARD}; got ${names.join(' | ')}`);
    // Landes does not: the card serves only Gironde and does not work remotely.
    const landes = new URL(marie.url());
    landes.searchParams.set('territory', 'FR-D40');
    await marie.goto(landes.toString());
    assert.ok(!(await hitNames(marie)).includes(CARD), 'a Gironde-only card is not found in the Landes');
    await marie.goBack();

    // Theme facet: the card offers "Créer un site vitrine simple".
    await facets.getByRole('link', { name: THEME, exact: true }).click();
    await marie.waitForURL((u) => u.searchParams.get('theme') === 'site-vitrine' && u.searchParams.get('territory') === 'FR-D33');
    names = await hitNames(marie);
    assert.deepEqual(names, [CARD], 'electricien + Gironde + site vitrine gives the new card only');
    // The filtered search has a shareable URL: a fresh visitor gets the same.
    await anon.goto(marie.url());
    assert.deepEqual(await hitNames(anon), [CARD]);

    // How results are ordered.
    const rule = marie.locator('details.order-rule');
    await rule.getByText('Comment les résultats sont-ils classés ?').click();
    await rule.getByText('Aucun classement payant ni caché', { exact: false }).waitFor();
    await rule.getByText("Valeur de k aujourd'hui", { exact: false }).waitFor();

    // The card page.
    await marie.getByRole('link', { name: CARD }).click();
    await marie.waitForURL(new RegExp(`/annuaire/${cardId}$`));
    await marie.getByRole('heading', { name: CARD, level: 1 }).waitFor();
    const facts = marie.locator('dl.facts');
    await facts.getByText(THEME).waitFor();
    await facts.getByText('Gironde').waitFor();
    await facts.getByText(SIREN).waitFor();
    await marie.getByText('Le programme ne recommande aucun prestataire', { exact: false }).waitFor();
    await assertAccessible(marie, 'card page');
    await shot(marie, 'directory-card');

    // 4. A need through the guided brief, published.
    await marie.goto(server.base + '/besoins/nouveau');
    await marie.getByRole('heading', { name: 'Décrire un besoin', level: 1 }).waitFor();
    await marie.locator('#title').fill(NEED_TITLE);
    await marie.locator('#themes').getByLabel(THEME).check();
    await marie.locator('#context').fill('Boulangerie familiale à Bordeaux, trois salariés, pas encore de site.');
    await marie.locator('#goal').fill('Être trouvée sur internet par les habitants du quartier.');
    await marie.locator('#audience').fill('Les habitants et les personnes qui travaillent dans le quartier.');
    await marie.locator('#features').fill("Horaires d'ouverture\nCommande de gâteaux à retirer en boutique\nPhotos des produits");
    await marie.locator('#existing_tools').fill('Une page Facebook, un logiciel de caisse.');
    await marie.locator('#constraints_text').fill('Mise à jour des horaires par nous-mêmes.');
    await marie.locator('#budget_band').selectOption({ index: 2 });
    await marie.locator('#deadline').fill(new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10));
    await marie.locator('#territory_code').selectOption('FR-C33063');
    await marie.getByRole('button', { name: 'Enregistrer et publier' }).click();
    await marie.waitForURL(/\/besoins\/\d+(\?.*)?$/);
    const needId = Number(new URL(marie.url()).pathname.split('/').pop());
    await marie.getByRole('heading', { name: NEED_TITLE, level: 1 }).waitFor();
    await marie.locator('.lead .status').getByText('Publié').waitFor();
    await assertAccessible(marie, 'need page');
    await shot(marie, 'directory-need');

    // The matching provider gets the mail and replies.
    const told = await waitMailTo(PROVIDER.email, /Nouveau besoin d'une entreprise/);
    assert.match(told.subject, new RegExp(NEED_TITLE));
    assert.match(told.text, new RegExp(`« ${CARD} »`));
    const needLink = told.text.match(/https?:\/\/\S+\/prestataire\/besoins\/(\d+)/);
    assert.ok(needLink, `no /prestataire/besoins/ link in:\n${told.text}`);
    assert.equal(Number(needLink[1]), needId);
    await provider.goto(`${server.base}/prestataire/besoins/${needId}`);
    await provider.getByRole('heading', { name: NEED_TITLE, level: 1 }).waitFor();
    await provider.getByText("Commande de gâteaux à retirer en boutique").waitFor();
    await assertAccessible(provider, 'need page (provider)');
    const REPLY = 'Bonjour, nous pouvons réaliser votre site vitrine en trois semaines, avec une formation pour mettre à jour les horaires. Première estimation : 1 500 € HT.';
    await provider.locator('#message').fill(REPLY);
    await provider.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await provider.getByText('Votre réponse est envoyée à l\'entreprise.').waitFor();
    await waitMailTo('marie@boulangerie-dupont.fr', new RegExp(`${CARD} a répondu`));

    // The business sees the reply.
    await marie.goto(`${server.base}/besoins/${needId}`);
    const reply = marie.locator('article.reply').filter({ hasText: CARD });
    await reply.getByText('Première estimation : 1 500 € HT.', { exact: false }).waitFor();
    await reply.getByRole('button', { name: 'Choisir ce prestataire' }).waitFor();
    await assertAccessible(marie, 'need page with a reply');
    await shot(marie, 'directory-need-reply');
    await marieCtx.close();
    await providerCtx.close();

    // 5. The search page on a phone, and the English directory.
    const phoneCtx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const phone = await phoneCtx.newPage();
    await phone.goto(server.base + '/annuaire?q=electricien&territory=FR-D33');
    assert.ok((await hitNames(phone)).includes(CARD));
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the search page scrolls sideways on a phone (${overflow}px)`);
    await assertAccessible(phone, 'search page (phone)');
    await shot(phone, 'directory-search-phone');
    await phone.getByRole('link', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'Directory of digital providers', level: 1 }).waitFor();
    assert.match(new URL(phone.url()).pathname, /^\/annuaire/);
    assert.equal(await phone.locator('html').getAttribute('lang'), 'en');
    assert.ok((await hitNames(phone)).includes(CARD), 'the English page keeps the search');
    await phone.getByText('How are results ordered?').waitFor();
    await assertAccessible(phone, 'search page (English)');
    await shot(phone, 'directory-search-en');
    await phoneCtx.close();
    await anon.context().close();
  });
});
