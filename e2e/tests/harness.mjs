// Shared set-up for the browser tests: a fresh Tremplin server on a free
// port (SQLite in a temporary data dir, demo data) and Debian's Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const artifacts = path.resolve(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitUp(url, child) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/** Start the server; returns { base, dataDir, stop }. */
export async function startServer() {
  const bin = process.env.TREMPLIN_BIN || path.join(root, 'target', 'debug', 'tremplin');
  if (!existsSync(bin)) throw new Error(`no binary at ${bin}: run cargo build first`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tremplin-e2e-'));
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    TREMPLIN_DATA_DIR: dataDir,
    TREMPLIN_BIND: `127.0.0.1:${port}`,
    TREMPLIN_MAIL_TRANSPORT: 'file',
    TREMPLIN_LOG: 'warn',
  };
  if (process.env.TREMPLIN_E2E_DATABASE_URL) env.TREMPLIN_DATABASE_URL = process.env.TREMPLIN_E2E_DATABASE_URL;
  const child = spawn(bin, ['serve', '--demo'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  await waitUp(`${base}/readyz`, child);
  return {
    base,
    dataDir,
    mailDir: path.join(dataDir, 'mail'),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Launch Debian's Chromium, never a downloaded browser. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Run axe-core on the page; fail on any WCAG 2.1 A/AA violation. */
export async function assertAccessible(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
  if (result.length > 0) {
    throw new Error(`${label}: accessibility violations:\n${JSON.stringify(result, null, 2)}`);
  }
}

/** Save a full-page screenshot as a test artifact. */
export async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** Mail files written by the file transport. */
export function mails(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

/** Decode a mail file's body (quoted-printable or base64, as lettre writes them). */
export function mailBody(raw) {
  const sep = raw.indexOf('\r\n\r\n') >= 0 ? '\r\n\r\n' : '\n\n';
  const head = raw.slice(0, raw.indexOf(sep));
  let body = raw.slice(raw.indexOf(sep) + sep.length);
  if (/Content-Transfer-Encoding:\s*base64/i.test(head)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(head)) {
    body = body.replace(/=\r?\n/g, '');
    const bytes = [];
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '=' && /^[0-9A-F]{2}$/i.test(body.slice(i + 1, i + 3))) {
        bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(body[i], 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

/** Wait for a mail to `to` and return its decoded body. */
export async function waitMail(dir, to) {
  for (let i = 0; i < 100; i++) {
    const found = mails(dir).filter((m) => m.includes(`To: ${to}`));
    if (found.length > 0) return mailBody(found[found.length - 1]);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}`);
}
