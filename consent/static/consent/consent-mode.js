/* In <head> before any tag: Consent Mode defaults, then the stored choice. */
(() => {
  const d = document, dl = window.dataLayer = window.dataLayer || [];
  let cfg;
  try { cfg = JSON.parse(d.getElementById('consent-config').textContent); } catch (e) { return; }
  const gtag = function () { dl.push(arguments); }, cats = {};
  cfg.categories.forEach(c => { cats[c.key] = c; });
  const signals = g => {
    const s = {}, on = c => c.essential || g.includes(c.key), cs = cfg.categories;
    'ad_storage analytics_storage ad_user_data ad_personalization functionality_storage personalization_storage security_storage'
      .split(' ').forEach(t => {
        const m = cs.filter(c => c.signals.includes(t));
        s[t] = m.length && m.every(on) ? 'granted' : 'denied';
      });
    return s;
  };
  const read = () => {
    const m = d.cookie.match(`(?:^|; )${cfg.cookieName}=([^;]*)`);
    const v = m ? m[1].replace(/^"|"$/g, '').split(':') : [], p = (v[0] || '').split('|'), n = /^\d{1,12}$/;
    const g = p[4] ? p[4].split('+') : [];
    if (v.length !== 2 || p.length !== 5 || p[0] !== '1' || !/^[\w-]{16,64}$/.test(p[1]) || !n.test(p[2]) ||
        !n.test(p[3]) || !g.every(k => /^[a-z0-9_-]+$/.test(k) && cats[k])) return null;
    return { version: +p[2], granted: g, at: +p[3],
      stale: +p[2] !== cfg.registryVersion || +p[3] + cfg.lifetimeDays * 86400 < Date.now() / 1000 ||
        +p[3] > Date.now() / 1000 + 86400 };
  };
  const st = read();
  gtag('consent', 'default', { ...signals([]), wait_for_update: 500 });
  if (st && !st.stale) gtag('consent', 'update', signals(st.granted));
  window.cmp = { cfg, cats, read, signals, gtag, state: st };
})();
