/* <icd-code-search>: ICD-10-CM code search box for any web page. One classic script tag,
   no dependencies. Talks to icd-serve: GET /v1/search (icd-search/1), GET /v1/codes/{code}
   (icd-code/1). Attributes, event, theming: web/README.md. */
(() => {
  'use strict';
  if (!window.customElements || customElements.get('icd-code-search')) return;

  // Default API base: the server this script came from (.../widget/icd-search-widget.js).
  const SCRIPT_BASE = (() => {
    try {
      const u = new URL(document.currentScript.src);
      const m = u.pathname.match(/^(.*)\/widget\/[^/]*$/);
      return u.origin + (m ? m[1] : '');
    } catch (e) {
      return location.origin;
    }
  })();

  const KINDS = [
    ['excludes1', 'Excludes1', 'Not coded here: never use together with this code.'],
    ['excludes2', 'Excludes2', 'Not part of this code; both may be used when both are present.'],
    ['code_first', 'Code first', 'Sequence the underlying condition first.'],
    ['use_additional_code', 'Use additional code', 'Add a code for this detail too.'],
    ['code_also', 'Code also', 'Another code may be needed.'],
  ];
  const FIELDS = { aka: 'also known as', index: 'index', inclusion: 'includes', description: 'about',
    keypoints: 'key point', scenario: 'scenario', faq: 'FAQ', specialty: 'specialty', guideline: 'guideline' };

  const CSS = `
:host{--a:var(--icd-accent,#0b5cad);--fg:var(--icd-fg,#1d2430);--mu:var(--icd-muted,#5b6675);
--bg:var(--icd-bg,#fff);--bd:var(--icd-border,#c5ced9);--ln:var(--icd-line,#e6ebf1);--hv:var(--icd-hover,#f3f6fa);
--ac:var(--icd-active,#e4eefb);--mk:var(--icd-mark,#ffec99);--ok:var(--icd-ok,#17723a);--okb:var(--icd-ok-bg,#e3f4e8);
--hd:var(--icd-header,#8a5300);--hdb:var(--icd-header-bg,#fdf0d8);--er:var(--icd-error,#b42318);
--ring:var(--icd-ring,color-mix(in srgb,var(--a) 28%,transparent));--r:var(--icd-radius,10px);
--mono:var(--icd-mono,ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace);
display:block;position:relative;min-width:0;max-width:100%;color:var(--fg);
font:15px/1.45 var(--icd-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif)}
*{box-sizing:border-box}[hidden]{display:none!important}
.anc{position:relative}
.field{display:flex;align-items:center;gap:.5rem;min-height:2.9rem;padding:0 .4rem 0 .8rem;background:var(--bg);
border:1px solid var(--bd);border-radius:var(--r);transition:border-color .15s,box-shadow .15s}
.field:focus-within{border-color:var(--a);box-shadow:0 0 0 3px var(--ring)}
.field svg{flex:none;width:18px;height:18px;color:var(--mu)}
input{flex:1;min-width:0;border:0;outline:0;background:transparent;font:inherit;font-size:16px;color:inherit;padding:.65rem 0}
input::placeholder{color:var(--mu);opacity:.85}
.spin{flex:none;width:16px;height:16px;border:2px solid var(--ln);border-top-color:var(--a);border-radius:50%;
opacity:0;animation:sp .7s linear infinite}
.busy .spin{opacity:1;transition:opacity .1s .2s}
@keyframes sp{to{transform:rotate(360deg)}}
button{font:inherit;color:inherit;cursor:pointer}
button:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.x,.close{flex:none;width:2rem;height:2rem;border:0;border-radius:50%;background:transparent;color:var(--mu);font-size:1.25rem;line-height:1}
.x:hover,.close:hover{background:var(--hv);color:var(--fg)}
.pop{position:absolute;z-index:1000;left:0;right:0;top:calc(100% + 6px);max-height:var(--icd-list-height,min(28rem,70vh));
overflow:auto;background:var(--bg);border:1px solid var(--bd);border-radius:var(--r);box-shadow:0 12px 32px rgba(16,24,40,.16)}
.info{padding:.5rem .8rem;font-size:.85em;color:var(--mu);background:var(--hv);border-bottom:1px solid var(--ln)}
.info div+div{margin-top:.15rem}.info b{color:var(--fg)}
.dym{border:0;padding:0;background:none;color:var(--a);font-weight:600;text-decoration:underline}
ul{list-style:none;margin:0;padding:0}
[role=option]{padding:.6rem .8rem .6rem .7rem;border-left:3px solid transparent;cursor:pointer}
[role=option]+[role=option]{border-top:1px solid var(--ln)}
[role=option]:hover{background:var(--hv)}
[role=option][aria-selected=true]{background:var(--ac);border-left-color:var(--a)}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .5rem}
.code{font:600 .95em/1.3 var(--mono);color:var(--a);letter-spacing:.01em}
.t{font-weight:500;overflow-wrap:anywhere}
.snip{margin-top:.1rem;font-size:.85em;color:var(--mu);overflow-wrap:anywhere}
.fld{font-style:italic}
mark{background:var(--mk);color:inherit;border-radius:2px;padding:0 1px}
.badge{display:inline-block;font-size:.72em;font-weight:600;line-height:1.5;padding:0 .5em;border-radius:999px;white-space:nowrap}
.ok{background:var(--okb);color:var(--ok)}.hdr{background:var(--hdb);color:var(--hd)}
.msg{padding:.8rem;color:var(--mu)}.msg:empty{display:none}
.err{color:var(--er)}
.foot{position:sticky;bottom:0;padding:.35rem .8rem;font-size:.78em;color:var(--mu);background:var(--bg);border-top:1px solid var(--ln)}
.foot:empty{display:none}
kbd{font:inherit;padding:0 .3em;border:1px solid var(--bd);border-radius:4px}
.detail{margin-top:.75rem;padding:1rem 1.1rem 1.1rem;background:var(--bg);border:1px solid var(--bd);border-radius:var(--r)}
.dh{display:flex;flex-wrap:wrap;align-items:center;gap:.35rem .6rem}
.dh .code{font-size:1.3em}
.chip{font-size:.72em;font-weight:600;padding:0 .5em;border-radius:999px;background:var(--a);color:#fff}
.dh .close{margin-left:auto}
h2{outline:0;margin:.35rem 0 0;font-size:1.1em;line-height:1.35;font-weight:600;overflow-wrap:anywhere}
.ctx{margin:.2rem 0 0;font-size:.85em;color:var(--mu)}
.use{margin-top:.75rem;padding:.4rem .9rem;border:1px solid var(--a);border-radius:999px;background:var(--a);color:#fff;font-weight:600}
h3{margin:1.1rem 0 .35rem;font-size:.78em;font-weight:700;letter-spacing:.06em;text-transform:uppercase;color:var(--mu)}
.hint{margin:-.2rem 0 .35rem;font-size:.82em;color:var(--mu)}
.links li+li{margin-top:2px}
.lnk{display:flex;gap:.6rem;align-items:baseline;width:100%;padding:.3rem .5rem;text-align:left;
border:0;border-radius:6px;background:transparent}
.lnk:hover{background:var(--hv)}
.lnk .code{flex:none}.lnk span:last-child{overflow-wrap:anywhere}
.notes li{padding:.3rem 0 .3rem .75rem;border-left:2px solid var(--ln)}
.notes li+li{margin-top:2px}
summary{margin-top:.25rem;padding:.2rem 0;font-size:.85em;color:var(--a);cursor:pointer}
summary:focus-visible{outline:2px solid var(--a);outline-offset:2px;border-radius:4px}
details ul{margin-top:.25rem}
.from{margin-left:.4rem;font-size:.8em;color:var(--mu);white-space:nowrap}
.about{margin:0;overflow-wrap:anywhere}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);border:0}
@media (max-width:400px){.detail{padding:.8rem}.lnk{flex-direction:column;gap:0}}`;

  const ICON = '<svg viewBox="0 0 20 20" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">' +
    '<circle cx="8.5" cy="8.5" r="5.5"/><path d="m13 13 4.5 4.5" stroke-linecap="round"/></svg>';

  // Element builder; strings become text nodes, never HTML.
  const h = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k === 'cls' ? 'class' : k, v === true ? '' : v);
    }
    for (const c of kids) if (c != null && c !== false) e.append(c);
    return e;
  };
  const badge = (billable) => h('span', { cls: billable ? 'badge ok' : 'badge hdr',
    text: billable ? 'billable' : 'header – pick a code below' });
  // Codes in note sources may come without the dot (M625): show them as M62.5.
  const dotted = (s) => (/^[A-Z][0-9][0-9A-Z]{2,5}$/.test(s) ? s.slice(0, 3) + '.' + s.slice(3) : s);
  const key = (s) => String(s || '').replace('.', '').toUpperCase();

  class IcdCodeSearch extends HTMLElement {
    static get observedAttributes() { return ['api', 'placeholder', 'label', 'limit', 'billable-only']; }

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `<style>${CSS}</style><div class="anc"><div class="field" part="field">${ICON}` +
        '<input part="input" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false"' +
        ' aria-controls="list" autocomplete="off" autocapitalize="off" spellcheck="false" enterkeyhint="search">' +
        '<span class="spin" aria-hidden="true"></span>' +
        '<button class="x" type="button" aria-label="Clear search" hidden>×</button></div>' +
        '<div class="pop" part="popup" hidden><div class="info" part="info" hidden></div>' +
        '<ul id="list" role="listbox" aria-label="ICD-10-CM codes"></ul><div class="msg" part="message"></div>' +
        '<div class="foot" part="footer"></div></div></div><div class="vh" role="status" aria-live="polite"></div>' +
        '<section class="detail" part="detail" aria-label="Code details" hidden></section>';
      const $ = (s) => root.querySelector(s);
      Object.assign(this, { $field: $('.field'), $input: $('input'), $clear: $('.x'), $pop: $('.pop'),
        $info: $('.info'), $list: $('ul'), $msg: $('.msg'), $foot: $('.foot'), $live: $('[role=status]'),
        $detail: $('.detail') });
      Object.assign(this, { _results: [], _active: -1, _seq: 0, _dseq: 0, _value: '', _shown: null, _shownQ: null });

      const inp = this.$input;
      inp.addEventListener('input', () => {
        this.$clear.hidden = !inp.value;
        clearTimeout(this._timer);
        if (!inp.value.trim()) return this._reset();
        this._timer = setTimeout(() => this._run(inp.value), 150);
      });
      inp.addEventListener('keydown', (e) => this._key(e));
      inp.addEventListener('click', () => {
        if (!this._open() && this._shownQ !== null && this._shownQ === inp.value.trim()) this._open(true);
      });
      // Keep focus in the input while the mouse works in the popup.
      this.$pop.addEventListener('mousedown', (e) => e.preventDefault());
      this.$list.addEventListener('click', (e) => {
        const o = e.target.closest('[role=option]');
        if (o) this._pick(this._results[+o.dataset.i]);
      });
      this.$info.addEventListener('click', (e) => {
        const b = e.target.closest('button[data-q]');
        if (b) { this.search(b.dataset.q); inp.focus(); }
      });
      this.$clear.addEventListener('click', () => { this.clear(); inp.focus(); });
      this.$detail.addEventListener('click', (e) => {
        const b = e.target.closest('button');
        if (!b) return;
        if (b.dataset.nav) this._show(b.dataset.nav);
        else if ('pick' in b.dataset && this._shown) this._pick(this._shown);
        else if ('close' in b.dataset) { this._hideDetail(); inp.focus(); }
      });
      // The list stays open while focus is in the widget (Tab reaches "Did you mean").
      root.addEventListener('focusout', (e) => { if (!root.contains(e.relatedTarget)) this._open(false); });
    }

    connectedCallback() {
      this._attrs();
      // `el.value = ...` set before this script loaded landed on the plain element: apply it.
      if (Object.prototype.hasOwnProperty.call(this, 'value')) {
        const v = this.value;
        delete this.value;
        this.value = v;
      }
    }
    disconnectedCallback() {
      clearTimeout(this._timer);
      if (this._ctl) this._ctl.abort();
      if (this._dctl) this._dctl.abort();
    }
    attributeChangedCallback(name, old, now) {
      this._attrs();
      // A new server or filter: refresh what is on screen.
      if (old !== now && name !== 'placeholder' && name !== 'label' && this.isConnected && this._shownQ) this._run(this._shownQ);
    }
    _attrs() {
      this.$input.placeholder = this.getAttribute('placeholder') || 'Describe the condition or type a code';
      this.$input.setAttribute('aria-label', this.getAttribute('label') || 'Search ICD-10-CM codes');
    }

    // ---- public API
    get value() { return this._value; }
    set value(code) {
      this._value = String(code || '').trim();
      if (this._value) this._show(this._value); else this._hideDetail();
    }
    search(text) {
      this.$input.value = text == null ? '' : String(text);
      this.$clear.hidden = !this.$input.value;
      return this._run(this.$input.value);
    }
    clear() {
      this.$input.value = '';
      this.$clear.hidden = true;
      this._reset();
      this._value = '';
      this._hideDetail();
    }

    // ---- search
    get _billable() { const b = this.getAttribute('billable-only'); return b !== null && b !== 'false'; }
    get _api() { return (this.getAttribute('api') || SCRIPT_BASE).trim().replace(/\/+$/, ''); }

    async _get(path, signal) {
      const base = this._api;
      let res, body = null;
      try {
        res = await fetch(base + path, { signal, headers: { Accept: 'application/json' } });
      } catch (e) {
        if (e.name === 'AbortError') throw e;
        throw new Error(`Cannot reach the code search server at ${base}. Check the connection and try again.`);
      }
      try { body = await res.json(); } catch (e) { if (e.name === 'AbortError') throw e; }
      const err = body && body.error;
      if (!res.ok || !body || err) {
        throw new Error(err && err.message ? err.message + (err.hint ? ` (${err.hint})` : '')
          : `The code search server answered HTTP ${res.status}.`);
      }
      return body;
    }

    async _run(text) {
      clearTimeout(this._timer);
      const q = String(text).trim();
      if (!q) return this._reset();
      if (this._ctl) this._ctl.abort();
      const ctl = (this._ctl = new AbortController());
      const seq = ++this._seq;
      this._busy(true);
      const n = parseInt(this.getAttribute('limit'), 10);
      const p = new URLSearchParams({ q, limit: String(n > 0 ? Math.min(n, 100) : 8) });
      if (this._billable) p.set('billable', 'true');
      let data, fail;
      try {
        data = await this._get('/v1/search?' + p, ctl.signal);
      } catch (e) {
        if (e.name === 'AbortError') return;
        fail = e;
      }
      if (seq !== this._seq) return; // a newer query owns the list
      this._busy(false);
      this._shownQ = q;
      if (fail) return this._fail(fail.message);
      this._render(data, q);
    }

    _busy(on) {
      this.$field.classList.toggle('busy', on);
      this.$list.setAttribute('aria-busy', String(on));
    }

    _reset() {
      clearTimeout(this._timer);
      if (this._ctl) this._ctl.abort();
      this._seq++;
      this._busy(false);
      this._results = [];
      this._shownQ = null;
      this.$list.replaceChildren();
      this._open(false);
      this._say('');
    }

    _fail(message) {
      this._results = [];
      this.$list.replaceChildren();
      this.$info.hidden = true;
      this.$foot.textContent = '';
      this.$msg.className = 'msg err';
      this.$msg.textContent = message;
      this._open(true);
      this._say(message);
    }

    _render(data, q) {
      const rs = (this._results = Array.isArray(data.results) ? data.results : []);
      this._active = -1;
      this.$input.removeAttribute('aria-activedescendant');
      this.$list.replaceChildren(...rs.map((r, i) => this._option(r, i)));
      this.$pop.scrollTop = 0;

      const info = [];
      if (data.corrected_query) info.push(h('div', { cls: 'corr' }, 'Showing results for ', h('b', { text: data.corrected_query })));
      if (data.did_you_mean) {
        info.push(h('div', { cls: 'corr' }, 'Did you mean ',
          h('button', { type: 'button', cls: 'dym', 'data-q': data.did_you_mean, text: data.did_you_mean }), '?'));
      }
      if (data.note) info.push(h('div', { text: data.note }));
      if (Array.isArray(data.expansions) && data.expansions.length) {
        info.push(h('div', { cls: 'exp', text: 'Also searched: ' + data.expansions.map((x) => String(x).replace(/\s*->\s*/, ' → ')).join('; ') }));
      }
      this.$info.replaceChildren(...info);
      this.$info.hidden = !info.length;

      this.$msg.className = 'msg';
      this.$msg.textContent = rs.length ? '' : `No codes match “${q}”` +
        (this._billable ? ' among billable codes.' : '.');
      const total = Math.max(data.total || 0, rs.length + (data.offset || 0));
      this.$foot.replaceChildren(...(rs.length ? [`${rs.length} of ${total} code${total === 1 ? '' : 's'} · `,
        h('kbd', { text: '↑' }), ' ', h('kbd', { text: '↓' }), ' to move, ', h('kbd', { text: 'Enter' }), ' to pick'] : []));
      this._open(true);
      this._say((data.corrected_query ? `Showing results for ${data.corrected_query}. ` : '') +
        (rs.length ? `${rs.length} code${rs.length === 1 ? '' : 's'} found. Use the up and down arrow keys to choose.`
          : 'No codes found.'));
    }

    _option(r, i) {
      const o = h('li', { role: 'option', id: 'opt-' + i, 'aria-selected': 'false', part: 'option', 'data-i': i, 'data-code': r.code },
        h('div', { cls: 'top' }, h('span', { cls: 'code', text: r.code }), badge(r.billable)));
      const t = h('div', { cls: 't' });
      const inTitle = r.snippet_field === 'title';
      if (inTitle && r.snippet === r.title && r.snippet_html) t.innerHTML = r.snippet_html; // server-escaped
      else t.textContent = r.title;
      o.append(t);
      if (!inTitle && r.snippet_html) {
        const s = h('span');
        s.innerHTML = r.snippet_html; // server-escaped, <mark> only
        o.append(h('div', { cls: 'snip' }, FIELDS[r.snippet_field] ? h('span', { cls: 'fld', text: FIELDS[r.snippet_field] + ': ' }) : null, s));
      }
      return o;
    }

    _open(show) {
      if (show === undefined) return !this.$pop.hidden;
      this.$pop.hidden = !show;
      this.$input.setAttribute('aria-expanded', String(show));
      if (!show) this._setActive(-1);
    }

    _setActive(i) {
      const os = this.$list.children;
      if (os[this._active]) {
        os[this._active].setAttribute('aria-selected', 'false');
        os[this._active].setAttribute('part', 'option');
      }
      this._active = i;
      const o = os[i];
      if (!o) { this._active = -1; this.$input.removeAttribute('aria-activedescendant'); return; }
      o.setAttribute('aria-selected', 'true');
      o.setAttribute('part', 'option option-active'); // ::part(option-active) for host pages
      this.$input.setAttribute('aria-activedescendant', o.id);
      const p = this.$pop, foot = this.$foot.offsetHeight;
      if (i === 0) p.scrollTop = 0;
      else if (o.offsetTop < p.scrollTop) p.scrollTop = o.offsetTop;
      else if (o.offsetTop + o.offsetHeight > p.scrollTop + p.clientHeight - foot) p.scrollTop = o.offsetTop + o.offsetHeight - p.clientHeight + foot;
    }

    _key(e) {
      const n = this._results.length, open = this._open(), inp = this.$input;
      switch (e.key) {
        case 'ArrowDown':
        case 'ArrowUp': {
          e.preventDefault();
          if (!open) {
            if (n && this._shownQ === inp.value.trim()) this._open(true);
            else { if (inp.value.trim()) this._run(inp.value); return; }
            if (e.altKey) return;
          }
          if (!n) return;
          const d = e.key === 'ArrowDown' ? 1 : -1, a = this._active;
          this._setActive(a < 0 ? (d > 0 ? 0 : n - 1) : (a + d + n) % n);
          break;
        }
        case 'Home':
        case 'End':
          if (!open || this._active < 0) return;
          e.preventDefault();
          this._setActive(e.key === 'Home' ? 0 : n - 1);
          break;
        case 'Enter':
          if (e.isComposing) return;
          e.preventDefault();
          if (open && this._active >= 0) this._pick(this._results[this._active]);
          else if (inp.value.trim() && inp.value.trim() !== this._shownQ) this._run(inp.value);
          else if (n) this._open(true);
          break;
        case 'Escape':
          if (open) { e.preventDefault(); this._open(false); }
          else if (inp.value) { e.preventDefault(); this.clear(); }
          break;
      }
    }

    // ---- picking and details
    _pick(r) {
      if (!r) return;
      const detail = { code: r.code, title: r.title, billable: !!r.billable };
      this._value = r.code;
      this._open(false);
      this._say(`Picked ${r.code}: ${r.title}.`);
      this._show(r.code);
      this.dispatchEvent(new CustomEvent('icd-code-selected', { bubbles: true, composed: true, detail }));
    }

    _hideDetail() {
      if (this._dctl) this._dctl.abort();
      this._dseq++;
      this._shown = null;
      this.$detail.hidden = true;
      this.$detail.replaceChildren();
    }

    _head(code, billable) {
      return h('div', { cls: 'dh' }, h('span', { cls: 'code', text: code }),
        billable == null ? null : badge(billable),
        code === this._value ? h('span', { cls: 'chip', text: 'selected' }) : null,
        h('button', { type: 'button', cls: 'close', 'data-close': '', 'aria-label': 'Close details', text: '×' }));
    }

    async _show(code) {
      if (this._dctl) this._dctl.abort();
      const ctl = (this._dctl = new AbortController());
      const seq = ++this._dseq, d = this.$detail;
      const refocus = d.contains(this.shadowRoot.activeElement); // keyboard navigation inside the panel
      d.hidden = false;
      d.setAttribute('aria-busy', 'true');
      d.replaceChildren(this._head(code), h('p', { cls: 'ctx', text: 'Loading…' }));
      try {
        const c = await this._get('/v1/codes/' + encodeURIComponent(code), ctl.signal);
        if (seq !== this._dseq) return;
        this._detail(c);
        if (refocus) d.querySelector('h2').focus();
      } catch (e) {
        if (e.name === 'AbortError' || seq !== this._dseq) return;
        d.replaceChildren(this._head(code), h('p', { cls: 'err', role: 'alert', text: e.message }));
      } finally {
        if (seq === this._dseq) d.removeAttribute('aria-busy');
      }
    }

    _detail(c) {
      this._shown = { code: c.code, title: c.title, billable: !!c.billable };
      const link = (x) => h('li', {}, h('button', { type: 'button', cls: 'lnk', 'data-nav': x.code },
        h('span', { cls: 'code', text: x.code }), h('span', {}, x.title, x.billable ? null : ' ', x.billable ? null : h('span', { cls: 'badge hdr', text: 'header' }))));
      const kids = [this._head(c.code, c.billable), h('h2', { text: c.title, tabindex: '-1' })];
      if (c.section_title || c.chapter_title) kids.push(h('p', { cls: 'ctx', text: c.section_title || c.chapter_title }));
      if (c.code !== this._value) kids.push(h('button', { type: 'button', cls: 'use', 'data-pick': '', text: `Pick ${c.code}` }));
      if (c.parent) kids.push(h('h3', { text: 'Parent' }), h('ul', { cls: 'links' }, link(c.parent)));
      const ch = Array.isArray(c.children) ? c.children : [];
      if (ch.length) kids.push(h('h3', { text: `Codes below (${ch.length})` }), h('ul', { cls: 'links' }, ...ch.map(link)));
      const notes = Array.isArray(c.notes) ? c.notes : [];
      for (const [kind, label, hint] of KINDS) {
        const ns = notes.filter((n) => n.kind === kind);
        if (!ns.length) continue;
        const item = (n) => h('li', {}, n.text,
          n.from ? h('span', { cls: 'from', text: key(n.from) === key(c.code) ? 'this code' : 'from ' + dotted(n.from) }) : null);
        // Chapter-wide notes are long and rarely decide: folded unless they are all there is.
        const far = ns.filter((n) => /^chapter\b/i.test(n.from || '')), near = ns.filter((n) => !far.includes(n));
        kids.push(h('div', { cls: 'notes', 'data-kind': kind }, h('h3', { text: label }), h('p', { cls: 'hint', text: hint }),
          h('ul', {}, ...(near.length ? near : far).map(item)),
          near.length && far.length ? h('details', {}, h('summary', { text: `${far.length} more from ${far[0].from}` }),
            h('ul', {}, ...far.map(item))) : null));
      }
      if (c.seventh_character) kids.push(h('h3', { text: '7th character' }), h('p', { cls: 'about', text: c.seventh_character }));
      const art = (c.article && c.article.description) ? c.article : c.category_article;
      if (art && art.description) {
        kids.push(h('h3', { text: art === c.article ? 'About this code' : `About ${art.code || 'the category'}` }),
          h('p', { cls: 'about', text: art.description }));
      }
      this.$detail.replaceChildren(...kids);
    }

    _say(text) {
      // Re-set so that the same message is announced again.
      clearTimeout(this._sayT);
      this.$live.textContent = '';
      if (text) this._sayT = setTimeout(() => { this.$live.textContent = text; }, 50);
    }
  }

  customElements.define('icd-code-search', IcdCodeSearch);
})();
