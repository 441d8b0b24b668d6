// The dashboard's one shared script: the pages are HTML from the server, and this only
// - shows each <time datetime> in the browser's time zone;
// - keeps the main content live: the server says on /events which topics changed, and the main
//   content is fetched again (as a fragment) when the page listens to one of them;
// - sends action forms (form[data-api]) to the API as JSON with the session's CSRF token, and
//   says what happened in the live region;
// - follows execution logs (element[data-stream]) over server-sent events.
// Text from the server is inserted as text (textContent) unless it is the server's own HTML.

const main = document.getElementById('main');
const flash = document.getElementById('flash');
// Read when a form is sent, so the token is the page's current one.
const csrf = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const lang = document.documentElement.lang || 'en';

function localTimes(root) {
  const fmt = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
  for (const el of root.querySelectorAll('time[datetime]')) {
    const ms = Date.parse(el.getAttribute('datetime'));
    if (!Number.isNaN(ms) && !el.dataset.local) { el.title = el.textContent; el.textContent = fmt.format(ms); el.dataset.local = '1'; }
  }
}

function say(message, tone) {
  if (!flash) return;
  flash.className = tone === 'bad' ? 'bad' : 'ok';
  flash.textContent = message;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { flash.textContent = ''; flash.className = ''; }, tone === 'bad' ? 15000 : 6000);
}

function toSignIn() {
  location.assign('/sign-in?next=' + encodeURIComponent(location.pathname + location.search));
}

// ---- live main content -------------------------------------------------------------------

let refreshing = false, again = false, last = 0;

async function refresh() {
  if (!main) return;
  if (refreshing) { again = true; return; }
  // Someone typing in a form keeps what they typed: refresh once they leave it.
  const active = document.activeElement;
  if (active && main.contains(active) && active.closest('form')) { again = true; active.addEventListener('blur', () => setTimeout(refresh, 50), { once: true }); return; }
  refreshing = true;
  try {
    const res = await fetch(location.href, { headers: { 'x-fragment': 'main' }, credentials: 'same-origin', cache: 'no-store' });
    if (res.status === 401 || new URL(res.url).pathname === '/sign-in') return toSignIn();
    if (!res.ok) return;
    const html = await res.text();
    const kept = new Map([...main.querySelectorAll('[data-keep][id]')].map((el) => [el.id, el]));
    const y = window.scrollY;
    main.innerHTML = html;
    for (const [id, el] of kept) main.querySelector('#' + CSS.escape(id))?.replaceWith(el);
    const title = res.headers.get('x-title');
    if (title) document.title = decodeURIComponent(title);
    window.scrollTo(0, y);
    enhance(main);
    last = Date.now();
    document.dispatchEvent(new CustomEvent('pluginops:refreshed'));
  } catch { /* the next change tries again */ } finally {
    refreshing = false;
    if (again) { again = false; setTimeout(refresh, 250); }
  }
}

let pending;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, Math.max(0, 1000 - (Date.now() - last)));
}

function listen() {
  const wanted = (main?.dataset.live ?? '').split(' ').filter(Boolean);
  if (!wanted.length || !window.EventSource) return;
  const es = new EventSource('/events?topics=' + encodeURIComponent(wanted.join(',')));
  es.addEventListener('changed', (e) => {
    let changed = [];
    try { changed = JSON.parse(e.data); } catch { return; }
    if (changed.some((t) => wanted.includes(t))) refreshSoon();
  });
  es.addEventListener('error', () => { if (es.readyState === EventSource.CLOSED) refresh(); });
}

// ---- actions ----------------------------------------------------------------------------

function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {});
  o[keys.at(-1)] = value;
}

function bodyOf(form) {
  const body = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    const type = el.dataset.type ?? 'string';
    let v;
    if (el.type === 'checkbox') v = type === 'boolean' ? el.checked : (el.checked ? el.value : undefined);
    else if (el.type === 'radio') { if (!el.checked) continue; v = el.value; }
    else v = el.value;
    if (v === undefined || (v === '' && !('keepEmpty' in el.dataset))) continue;
    if (type === 'number' && typeof v === 'string') v = Number(v);
    else if (type === 'boolean' && typeof v === 'string') v = v === 'true';
    else if (type === 'json' && typeof v === 'string') {
      try { v = JSON.parse(v); } catch { throw new Error((el.labels?.[0]?.textContent ?? el.name) + ': not JSON'); }
    } else if (type === 'list' && typeof v === 'string') v = v.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    setPath(body, el.name, v);
  }
  return body;
}

async function send(form) {
  const [method, url] = form.dataset.api.split(' ');
  if (form.dataset.confirm && !confirm(form.dataset.confirm)) return;
  let body;
  try { body = bodyOf(form); } catch (e) { return say(e.message, 'bad'); }
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const res = await fetch(url, {
      method, credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf(), accept: 'application/json' },
      body: method === 'DELETE' ? undefined : JSON.stringify(body),
    });
    let answer = {};
    try { answer = await res.json(); } catch { /* not JSON */ }
    if (res.status === 401) return toSignIn();
    if (!res.ok || answer.success === false) {
      // Details the message already says are not repeated.
      const message = answer.message ?? res.statusText;
      const extra = Array.isArray(answer.details) ? answer.details.filter((d) => d.message && !message.includes(d.message)) : [];
      const details = extra.length ? ' — ' + extra.map((d) => (d.path ? d.path + ': ' : '') + d.message).join('; ') : '';
      return say((form.dataset.failed ? form.dataset.failed + ' ' : '') + message + details + (answer.code ? ' (' + answer.code + ')' : ''), 'bad');
    }
    say(form.dataset.done ?? answer.message ?? 'OK', 'ok');
    const where = res.headers.get('location');
    if (form.dataset.then === 'location' && where?.startsWith('/api/')) return location.assign(where.slice(4));
    await refresh();
  } catch (e) {
    say(String(e.message ?? e), 'bad');
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

document.addEventListener('submit', (e) => {
  const form = e.target.closest?.('form[data-api]');
  if (!form) return;
  e.preventDefault();
  send(form);
});

// ---- log streams -------------------------------------------------------------------------

function follow(el) {
  if (el.dataset.following || !window.EventSource) return;
  el.dataset.following = '1';
  const es = new EventSource(el.dataset.stream);
  const atBottom = () => el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
  es.addEventListener('log', (e) => {
    let r;
    try { r = JSON.parse(e.data); } catch { return; }
    const stick = atBottom();
    const line = document.createElement('div');
    line.className = 'line ' + (r.level ?? 'info');
    line.textContent = (r.timestamp ? r.timestamp.slice(11, 19) + ' ' : '') + (r.step ? '[' + r.step + '] ' : '') + r.message;
    el.append(line);
    while (el.childElementCount > 5000) el.firstElementChild.remove();
    if (stick) el.scrollTop = el.scrollHeight;
  });
  es.addEventListener('status', () => refreshSoon());
  es.addEventListener('end', () => { es.close(); refreshSoon(); });
}

function enhance(root) {
  localTimes(root);
  for (const el of root.querySelectorAll('[data-stream]')) follow(el);
}

enhance(document);
listen();
