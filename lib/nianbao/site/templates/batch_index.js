(function () {
  var table = document.getElementById('reports');
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var box = document.getElementById('filter');
  var sevs = Array.prototype.slice.call(document.querySelectorAll('input[data-sev]'));
  var stats = Array.prototype.slice.call(document.querySelectorAll('input[data-status]'));
  var cross = document.querySelector('#cross table');
  var crossRows = cross ? Array.prototype.slice.call(cross.tBodies[0].rows) : [];
  function apply() {
    var q = box.value.trim().toLowerCase();
    var on = sevs.filter(function (c) { return c.checked; }).map(function (c) { return c.dataset.sev; });
    var okStatus = {};
    stats.forEach(function (c) { okStatus[c.dataset.status] = c.checked; });
    var shown = 0;
    rows.forEach(function (r) {
      var ok = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
      if (ok && on.length < sevs.length) {
        ok = on.some(function (s) { return Number(r.dataset[s]) > 0; });
      }
      ok = ok && okStatus[r.dataset.status] !== false;
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    document.getElementById('shown').textContent = String(shown);
    // the cross-report findings: the same filters, each by its own severity
    var crossShown = 0;
    crossRows.forEach(function (r) {
      var ok = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
      ok = ok && (on.length === sevs.length || on.indexOf(r.dataset.severity) >= 0);
      ok = ok && okStatus[r.dataset.status] !== false;
      r.hidden = !ok;
      if (ok) { crossShown++; }
    });
    if (crossRows.length) {
      document.getElementById('cross-shown').textContent = String(crossShown);
    }
  }
  function key(r, i, num) {
    var c = r.cells[i];
    if (num) { var v = c.getAttribute('data-v'); return v === null || v === '' ? null : Number(v); }
    return c.textContent.trim();
  }
  var ths = Array.prototype.slice.call(table.tHead.rows[0].cells);
  ths.forEach(function (th, i) {
    th.querySelector('button').addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      ths.forEach(function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var num = th.dataset.type === 'num';
      rows.sort(function (a, b) {
        var x = key(a, i, num), y = key(b, i, num);
        if (x === y) { return 0; }
        if (x === null || x === '') { return 1; }
        if (y === null || y === '') { return -1; }
        var c = num ? x - y : x.localeCompare(y, 'zh');
        return asc ? c : -c;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
  box.addEventListener('input', apply);
  sevs.concat(stats).forEach(function (c) { c.addEventListener('change', apply); });
  apply();
}());
