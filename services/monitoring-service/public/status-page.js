// The status page's script: asks the JSON routes beside the page (so it works on the service's
// own port and under /api/monitoring/ on the gateway), draws them with textContent only (never
// markup from data), and asks again every data-refresh-ms milliseconds.
(function () {
  'use strict';
  var base = location.pathname.replace(/\/?$/, '/');
  var refreshMs = Number(document.body.getAttribute('data-refresh-ms')) || 10000;
  var WORDS = { healthy: 'Healthy', degraded: 'Degraded', unhealthy: 'Down' };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function getJson(path) {
    return fetch(base + path, { headers: { accept: 'application/json' }, cache: 'no-store' }).then(function (res) {
      if (!res.ok) throw new Error(path + ' answered ' + res.status);
      return res.json();
    });
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    if (seconds < 1) return '< 1 s';
    if (seconds < 90) return Math.round(seconds) + ' s';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min';
    return Math.round(seconds / 3600) + ' h';
  }

  function hourLabel(iso) {
    var d = new Date(iso);
    return d.toISOString().slice(0, 13).replace('T', ' ') + ':00 UTC';
  }

  function strip(buckets) {
    var box = el('div', 'strip');
    (buckets || []).forEach(function (b) {
      var cell = el('span', 'bucket bucket-' + (b.status || 'none'));
      cell.title =
        hourLabel(b.from) +
        ': ' +
        (b.uptimePercent === null ? 'no checks' : b.uptimePercent + '% of ' + b.checks + ' checks');
      box.appendChild(cell);
    });
    return box;
  }

  // One row per service, made once and then updated in place: a refresh never swaps the
  // rows under a reader (or a selection, or a hovered uptime strip's tooltip).
  function serviceRow(tbody, name) {
    var row = tbody.querySelector('tr[data-service="' + name + '"]');
    if (row) return row;
    row = el('tr');
    row.setAttribute('data-service', name);
    var title = el('td');
    title.appendChild(el('span', 'title'));
    title.appendChild(el('span', 'name', name));
    var status = el('td', 'status-cell');
    var badge = el('span', 'status');
    badge.appendChild(el('span', 'dot'));
    badge.appendChild(el('span', 'word'));
    status.appendChild(badge);
    status.appendChild(el('span', 'reason'));
    row.appendChild(title);
    row.appendChild(status);
    row.appendChild(el('td', 'number latency'));
    row.appendChild(el('td', 'version'));
    row.appendChild(el('td', 'number uptime'));
    row.appendChild(el('td', 'history'));
    return row;
  }

  function drawServices(services, uptime) {
    var tbody = document.querySelector('#services tbody');
    var strips = {};
    (uptime ? uptime.services : []).forEach(function (s) {
      strips[s.name] = s.buckets;
    });
    var rows = services.map(function (s) {
      var row = serviceRow(tbody, s.name);
      row.className = 'service status-' + s.status;
      row.setAttribute('data-status', s.status);
      row.querySelector('.title').textContent = s.title;
      row.querySelector('.word').textContent = WORDS[s.status] || s.status;
      var reason = row.querySelector('.reason');
      reason.textContent = s.reason || '';
      reason.hidden = !s.reason;
      row.querySelector('.latency').textContent = s.latencyMs === null ? '–' : s.latencyMs + ' ms';
      row.querySelector('.version').textContent = s.version || '–';
      row.querySelector('.uptime').textContent =
        s.uptimePercent24h === null ? '–' : s.uptimePercent24h.toFixed(2) + '%';
      if (uptime) row.querySelector('.history').replaceChildren(strip(strips[s.name]));
      return row;
    });
    // Put rows in the answer's order (a row that moves keeps its elements), then drop
    // rows for services the answer no longer names.
    rows.forEach(function (row, i) {
      if (tbody.children[i] !== row) tbody.insertBefore(row, tbody.children[i] || null);
    });
    Array.prototype.slice.call(tbody.children).forEach(function (row) {
      if (rows.indexOf(row) < 0) tbody.removeChild(row);
    });
    var down = services.filter(function (s) {
      return s.status === 'unhealthy';
    }).length;
    var slow = services.filter(function (s) {
      return s.status === 'degraded';
    }).length;
    var summary = document.getElementById('summary');
    var worst = down > 0 ? 'unhealthy' : slow > 0 ? 'degraded' : 'healthy';
    summary.className = 'summary summary-' + worst;
    summary.textContent =
      down > 0
        ? down + (down === 1 ? ' service is down' : ' services are down')
        : slow > 0
          ? slow + (slow === 1 ? ' service is degraded' : ' services are degraded')
          : 'All ' + services.length + ' services are healthy';
  }

  function drawBus(bus) {
    var summary = document.getElementById('bus-summary');
    if (!bus.checkedAt) {
      summary.textContent = 'Not collected yet.';
    } else {
      var dead = bus.deadLetters;
      summary.textContent =
        'Nexus ' +
        bus.nexus +
        ' · dead letters: ' +
        (dead ? dead.count + (dead.more ? '+' : '') : 'unknown') +
        ' · collected ' +
        new Date(bus.checkedAt).toLocaleTimeString();
    }
    var outbox = document.querySelector('#outbox tbody');
    outbox.replaceChildren();
    bus.outbox.forEach(function (o) {
      var row = el('tr');
      row.setAttribute('data-publisher', o.service);
      row.appendChild(el('td', null, o.service));
      row.appendChild(el('td', 'number', o.pendingEvents === null ? '–' : o.pendingEvents));
      row.appendChild(el('td', 'number', duration(o.lagSeconds)));
      outbox.appendChild(row);
    });
    var deadBy = {};
    (bus.deadLetters ? bus.deadLetters.bySubscriber : []).forEach(function (d) {
      deadBy[d.subscriber] = d.count;
    });
    var subs = document.querySelector('#subscriptions tbody');
    subs.replaceChildren();
    bus.subscriptions.forEach(function (s) {
      var row = el('tr');
      row.setAttribute('data-subscriber', s.subscriber);
      row.appendChild(el('td', null, s.subscriber));
      row.appendChild(el('td', 'number', s.backlog));
      row.appendChild(el('td', 'number', deadBy[s.subscriber] || 0));
      subs.appendChild(row);
    });
  }

  function drawIncidents(page) {
    var list = document.getElementById('incidents');
    list.replaceChildren();
    if (page.items.length === 0) list.appendChild(el('li', 'meta', 'No incidents recorded.'));
    page.items.forEach(function (i) {
      var item = el('li', i.state === 'open' ? 'incident-open' : 'incident-resolved');
      item.setAttribute('data-incident', i.service);
      var when = new Date(i.startedAt).toLocaleString();
      item.textContent =
        i.service +
        ' down since ' +
        when +
        ' (' +
        i.cause +
        ')' +
        (i.state === 'open' ? ': ongoing' : ': resolved after ' + duration(i.durationSeconds));
      list.appendChild(item);
    });
  }

  function refresh() {
    return Promise.all([
      getJson('status'),
      getJson('uptime?hours=24').catch(function () {
        return null;
      }),
      getJson('bus').catch(function () {
        return null;
      }),
      getJson('incidents?limit=10').catch(function () {
        return null;
      }),
    ])
      .then(function (answers) {
        drawServices(answers[0], answers[1]);
        if (answers[2]) drawBus(answers[2]);
        if (answers[3]) drawIncidents(answers[3]);
        document.getElementById('updated').textContent = new Date().toLocaleTimeString();
        document.getElementById('offline').hidden = true;
        document.body.setAttribute('data-loaded', 'true');
      })
      .catch(function () {
        document.getElementById('offline').hidden = false;
      })
      .then(function () {
        setTimeout(refresh, refreshMs);
      });
  }

  document.getElementById('refresh').textContent = duration(refreshMs / 1000);
  refresh();
})();
