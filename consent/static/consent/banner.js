/* Banner and dialog: gated tags and embeds run once granted. */
(() => {
  const C = window.cmp, d = document, $ = (s, r) => [...(r || d).querySelectorAll(s)];
  const banner = d.getElementById('consent-banner'), dlg = d.getElementById('consent-dialog');
  if (!C || !banner || !dlg) return;
  const cfg = C.cfg, ran = {}, gpc = navigator.globalPrivacyControl === true;
  let optional, st = C.state, opener = null;
  const init = () => { optional = cfg.categories.filter(c => !c.essential); cfg.categories.forEach(c => { C.cats[c.key] = c; }); };
  const current = () => (st && !st.stale ? st.granted : []);

  const activate = g => {
    $('script[type="text/plain"][data-category]').forEach(old => {
      const cat = old.dataset.category, s = d.createElement('script');
      if (!g.includes(cat)) return;
      if (old.dataset.src) s.src = old.dataset.src; else s.text = old.text;
      s.async = false;
      s.dataset.category = ran[cat] = cat;
      old.replaceWith(s);
    });
    $('[data-consent-embed]').forEach(box => {
      if (g.includes(box.dataset.consentEmbed)) box.replaceWith(box.querySelector('template').content);
    });
  };

  const purge = g => {
    const host = location.hostname, parts = host.split('.'), doms = [''];
    if (!/^[\d.]+$|:/.test(host)) parts.slice(1).forEach((_, i) => doms.push(parts.slice(i).join('.')));
    optional.filter(c => !g.includes(c.key)).forEach(c => c.cookies.forEach(k => {
      const re = RegExp(`^${k.name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      if (k.type === 'cookie') {
        d.cookie.split('; ').map(x => x.split('=')[0]).filter(n => n && n !== cfg.cookieName && re.test(n))
          .forEach(n => doms.forEach(dm => { d.cookie = `${n}=; Max-Age=0; path=/${dm && '; domain=' + dm}`; }));
      } else {
        try {
          const s = window[k.type + 'Storage'];
          Object.keys(s).filter(n => re.test(n)).forEach(n => s.removeItem(n));
        } catch (e) {}
      }
    }));
  };

  const error = msg => $('[data-consent-error]').forEach(p => { p.textContent = msg; p.hidden = !msg; });

  const showBanner = () => {
    const box = banner.querySelector('[data-consent-changes]'), ul = box.querySelector('ul');
    ul.replaceChildren();
    if (st && st.version !== cfg.registryVersion) {
      cfg.changes.filter(v => v.version > st.version).forEach(v => v.changes.forEach(t => {
        ul.appendChild(d.createElement('li')).textContent = t;
      }));
      box.hidden = !ul.children.length;
    }
    d.body.prepend(banner);
    banner.hidden = false;
  };

  const notice = (box = d.getElementById('consent-notice'), n) => {
    try { n = cfg.notices.filter(x => x.at > Math.max(st.at, +localStorage.cmpNotice || 0)).pop(); } catch (e) {}
    if (!n) return;
    box.querySelector('span').textContent = n.text;
    box.querySelector('a').href = n.url;
    box.hidden = false;
    box.querySelector('button').onclick = () => { box.hidden = true; localStorage.cmpNotice = n.at; };
  };

  const send = (action, g) => {
    if (action === 'accept_all' && g.length < optional.length) action = 'custom';
    const before = current();
    error('');
    // The form's action carries the page's language prefix, so errors come back in that language.
    fetch(dlg.querySelector('form').getAttribute('action') || cfg.endpoint, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action, granted: g, registry_version: cfg.registryVersion })
    }).then(r => r.json().then(j => { if (!r.ok) throw j; return j; })).then(j => {
      st = C.state = C.read() || { version: cfg.registryVersion,
        granted: (j.granted || []).filter(k => C.cats[k] && !C.cats[k].essential) };
      C.gtag('consent', 'update', C.signals(st.granted));
      purge(st.granted);
      if (banner.contains(d.activeElement)) d.getElementById('main').focus();
      banner.hidden = true;
      if (dlg.open) dlg.close();
      if (before.some(k => ran[k] && !st.granted.includes(k))) location.reload(); else activate(st.granted);
    }).catch(j => {
      error((j && j.error) || banner.dataset.errorText);
      if (j && j.config) {
        Object.assign(cfg, j.config);
        dlg.querySelector('form').outerHTML = j.form;
        init();
        showBanner();
      }
    });
  };

  const boxes = () => $('input[name="granted"]', dlg);
  const checked = () => boxes().filter(i => i.checked).map(i => i.value);
  const all = ticked => optional.filter(c => !(gpc && c.gpcOff) || ticked.includes(c.key)).map(c => c.key);

  const openDialog = () => {
    opener = d.activeElement;
    boxes().forEach(i => { i.checked = !!st && st.granted.includes(i.value); });
    dlg.querySelector('[data-consent-gpc]').hidden = !gpc;
    error('');
    dlg.showModal();
  };

  dlg.addEventListener('close', () => {
    const back = banner.hidden && banner.contains(opener) ? d.getElementById('main') : opener;
    if (back) back.focus();
  });
  dlg.querySelector('[data-consent-close]').addEventListener('click', () => dlg.close());
  dlg.addEventListener('submit', e => {
    e.preventDefault();
    const a = e.submitter ? e.submitter.value : 'custom';
    send(a, a === 'accept_all' ? all(checked()) : a === 'reject_all' ? [] : checked());
  });
  d.addEventListener('click', e => {
    const t = e.target.closest('[data-consent],[data-cookie-settings],[data-consent-enable]');
    if (!t) return;
    const a = t.dataset.consent, key = t.dataset.consentEnable;
    if (a === 'accept_all') send(a, all([]));
    else if (a === 'reject_all') send(a, []);
    else if (key) send('custom', [...new Set([...current(), key])]);
    else { e.preventDefault(); openDialog(); }
  });

  init();
  purge(st ? st.granted : []);
  if (st && !st.stale) { activate(st.granted); notice(); } else showBanner();
})();
