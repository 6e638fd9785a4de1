// Search box autocomplete: asks /cari/saran as the buyer types (debounced) and shows completed queries and products.
(function () {
  var form = document.querySelector('form.search[data-suggest]');
  if (!form) { return; }
  var input = form.querySelector('input[name="q"]');
  var list = form.querySelector('.suggestions');
  var timer = null, lastAsked = '', active = -1, controller = null;

  function close() { list.hidden = true; list.innerHTML = ''; active = -1; input.setAttribute('aria-expanded', 'false'); }

  function option(text, href, extra) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    li.setAttribute('role', 'option');
    a.href = href;
    a.textContent = text;
    if (extra) { var s = document.createElement('span'); s.className = 'muted'; s.textContent = ' ' + extra; a.appendChild(s); }
    li.appendChild(a);
    list.appendChild(li);
  }

  function show(data) {
    list.innerHTML = '';
    active = -1;
    (data.queries || []).forEach(function (q) { option(q, form.action + '?q=' + encodeURIComponent(q)); });
    (data.products || []).forEach(function (p) { option(p.name, p.url, p.price); });
    var any = list.children.length > 0;
    list.hidden = !any;
    input.setAttribute('aria-expanded', any ? 'true' : 'false');
  }

  function ask() {
    var q = input.value.trim();
    if (q === lastAsked) { return; }
    lastAsked = q;
    if (q.length < 1) { close(); return; }
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch(form.dataset.suggest + '?q=' + encodeURIComponent(q), controller ? { signal: controller.signal } : {})
      .then(function (r) { return r.ok ? r.json() : { queries: [], products: [] }; })
      .then(function (data) { if (input.value.trim() === q) { show(data); } })
      .catch(function () {});
  }

  function move(step) {
    var items = list.querySelectorAll('li');
    if (!items.length) { return; }
    if (active >= 0) { items[active].classList.remove('on'); }
    active = (active + step + items.length) % items.length;
    items[active].classList.add('on');
    items[active].scrollIntoView({ block: 'nearest' });
  }

  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') { e.preventDefault(); move(1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); move(-1); }
    else if (e.key === 'Escape') { close(); }
    else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      window.location.href = list.querySelectorAll('li a')[active].href;
    }
  });
  document.addEventListener('click', function (e) { if (!form.contains(e.target)) { close(); } });
})();

// On wide screens the result filters sit in a sidebar: show them open.
(function () {
  var facets = document.querySelector('details.facets');
  if (facets && window.matchMedia && window.matchMedia('(min-width: 960px)').matches) { facets.open = true; }
})();
