// Mail files written by the file transport, as the browser tests read them:
// headers, RFC 2047 subjects, single-part or multipart/mixed bodies with
// attachments.
import { mails } from './harness.mjs';

function decodeQP(text) {
  const body = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '=' && /^[0-9A-F]{2}$/i.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(body[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** Split a MIME entity into its (unfolded, lower-cased) headers and body. */
function entity(raw) {
  const m = raw.match(/\r?\n\r?\n/);
  const headText = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = {};
  for (const line of headText.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function decodeBody(headers, body) {
  const cte = (headers['content-transfer-encoding'] || '').toLowerCase();
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (cte === 'quoted-printable') return decodeQP(body);
  return Buffer.from(body, 'utf8');
}

/** Decode RFC 2047 encoded words (=?utf-8?b?...?= / =?utf-8?q?...?=). */
function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _charset, enc, text) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQP(text.replace(/_/g, ' ')).toString('utf8'));
}

/** A mail file as { to, subject, text, contentType, attachments: [{ filename, contentType, content }] }. */
export function parseMail(raw) {
  const { headers, body } = entity(raw);
  const mail = {
    to: headers.to || '',
    subject: decodeWords(headers.subject || ''),
    contentType: headers['content-type'] || '',
    text: '',
    attachments: [],
  };
  const boundary = mail.contentType.match(/boundary="?([^";]+)"?/i);
  if (!/^multipart\//i.test(mail.contentType) || !boundary) {
    mail.text = decodeBody(headers, body).toString('utf8');
    return mail;
  }
  const parts = body.split(`--${boundary[1]}`).slice(1);
  for (const part of parts) {
    if (part.startsWith('--')) break;
    const p = entity(part.replace(/^\r?\n/, ''));
    const type = p.headers['content-type'] || 'text/plain';
    const disposition = p.headers['content-disposition'] || '';
    const content = decodeBody(p.headers, p.body.replace(/\r?\n$/, ''));
    const filename = (disposition.match(/filename="?([^";]+)"?/i) || type.match(/name="?([^";]+)"?/i) || [])[1];
    if (/attachment/i.test(disposition) || filename) {
      mail.attachments.push({ filename: filename && decodeWords(filename), contentType: type, content: content.toString('utf8') });
    } else if (/^text\/plain/i.test(type) && !mail.text) {
      mail.text = content.toString('utf8');
    }
  }
  return mail;
}

/** Wait for a mail in `dir` to `to` whose subject matches `subject`; the latest one. */
export async function waitMailTo(dir, to, subject) {
  for (let i = 0; i < 150; i++) {
    const found = mails(dir)
      .map(parseMail)
      .filter((m) => m.to.includes(to) && subject.test(m.subject));
    if (found.length > 0) return found[found.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  const seen = mails(dir).map(parseMail).map((m) => `${m.to}: ${m.subject}`);
  throw new Error(`no mail to ${to} with a subject matching ${subject}; mails so far:\n${seen.join('\n')}`);
}
