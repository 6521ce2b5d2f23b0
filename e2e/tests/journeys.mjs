// Shared steps of the journey tests (issue 13): sign in, and visit a page
// the way the issue asks every page to be checked — axe clean at the
// current width, and no horizontal overflow at 320 px.
import assert from 'node:assert/strict';
import { assertAccessible } from './harness.mjs';

/** The two widths every journey is walked at. */
export const WIDTHS = [
  { name: 'phone', width: 375, height: 740 },
  { name: 'desktop', width: 1280, height: 900 },
];

export async function signIn(page, base, email) {
  await page.goto(base + '/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.locator('#password').fill('demo-tremplin-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

/** Fail when the page is wider than a 320 px screen; restores the viewport. */
export async function assertNoOverflow(page, label) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: before.height });
  const { scroll, client, culprit } = await page.evaluate(() => {
    const root = document.documentElement;
    let culprit = '';
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1 && getComputedStyle(el).position !== 'absolute') {
        culprit = `${el.tagName.toLowerCase()}#${el.id}.${el.className} (${Math.round(r.right)} px)`;
        break;
      }
    }
    return { scroll: root.scrollWidth, client: root.clientWidth, culprit };
  });
  await page.setViewportSize(before);
  assert.ok(scroll <= client, `${label}: ${scroll} px wide at 320 px; first too wide: ${culprit}`);
}

/** The checks of every page a journey visits. */
export async function check(page, label) {
  await assertAccessible(page, label);
  await assertNoOverflow(page, label);
}
