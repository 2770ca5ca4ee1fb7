// telemute admin: the pages' only script, served from the bundle ('self' under the CSP; no inline
// code anywhere). The JSON API is the single way to change anything, and it wants JSON bodies and
// the CSRF header (X-Requested-With: telemute), which a bare HTML form cannot send, so every form
// with data-api is submitted here with fetch.
//
// Form attributes:
//   data-api="/api/..."   where to send; data-method (default POST); "{field}" in it is replaced
//                         by that field's value (URL-encoded) and the field is not sent
//   data-base='{"…"}'     JSON the body starts from (the server prepares whole bodies); fields
//                         named "a.b" set nested keys; data-append="path" pushes the fields as one
//                         object (nested keys too) onto the list at that path instead
//   data-then="go:/path" | "reload" | "rename" | "say:Text"   what to do after a 2xx answer
// Field attributes: data-type="number" sends a number; "list" a comma-separated list, "codes" the
// same upper-cased, "numbers" a list of numbers; checkboxes with data-type="set" send the numbers
// of the checked ones as one list (an empty text list is left out, as is an empty
// data-optional field); data-same-as="other" must equal that field and is not sent (inputs
// without a name are never sent).
// Also: input[data-tail] toggles the query log's live tail; form[data-backup] checks and restores a backup.
'use strict';
(function () {
  function listOf(text) {
    return text.split(',').map(function (x) { return x.trim(); }).filter(Boolean);
  }

  function fieldsOf(form) {
    var body = {};
    var inputs = form.querySelectorAll('input[name], select[name], textarea[name]');
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      var type = el.dataset.type;
      if (el.type === 'file') continue;
      if (el.type === 'checkbox' && type === 'set') {
        // several checkboxes of one name: the numbers of the checked ones (a schedule's days)
        body[el.name] = body[el.name] || [];
        if (el.checked) body[el.name].push(Number(el.value));
      } else if (el.type === 'checkbox') body[el.name] = el.checked;
      else if (type === 'number') body[el.name] = Number(el.value);
      else if (type === 'list' || type === 'codes' || type === 'numbers') {
        var list = listOf(type === 'codes' ? el.value.toUpperCase() : el.value);
        if (list.length) body[el.name] = type === 'numbers' ? list.map(Number) : list;
      } else if (!(el.dataset.optional !== undefined && el.value === '')) body[el.name] = el.value;
    }
    return body;
  }

  function setPath(obj, path, value) {
    var keys = path.split('.');
    for (var i = 0; i < keys.length - 1; i++) obj = obj[keys[i]] = obj[keys[i]] || {};
    obj[keys[keys.length - 1]] = value;
  }

  function getList(obj, path) {
    var keys = path.split('.');
    for (var i = 0; i < keys.length - 1; i++) obj = obj[keys[i]] = obj[keys[i]] || {};
    var last = keys[keys.length - 1];
    return (obj[last] = obj[last] || []);
  }

  // The URL and the JSON body a form sends.
  function requestOf(form) {
    var fields = fieldsOf(form);
    var url = form.dataset.api.replace(/\{(\w+)\}/g, function (_, name) {
      var v = fields[name];
      delete fields[name];
      return encodeURIComponent(v === undefined ? '' : v);
    });
    var body = form.dataset.base ? JSON.parse(form.dataset.base) : {};
    var target = body;
    if (form.dataset.append) getList(body, form.dataset.append).push((target = {}));
    for (var k in fields) setPath(target, k, fields[k]);
    return { url: url, body: body };
  }

  // Same as ruleId() in src/web/pages/format.ts: FNV-1a of "device name" and a slug of the name.
  function ruleId(prefix, device, name) {
    var h = 0x811c9dc5;
    var s = device + ' ' + name;
    for (var i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    var slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, 24).replace(/-+$/, '');
    return prefix + '-' + (slug ? slug + '-' : '') + h.toString(36);
  }
  window.telemute = { ruleId: ruleId };

  function mismatch(form) {
    var checks = form.querySelectorAll('[data-same-as]');
    for (var i = 0; i < checks.length; i++) {
      var other = form.querySelector('[name="' + checks[i].dataset.sameAs + '"]');
      if (other && other.value !== checks[i].value) return checks[i];
    }
    return null;
  }

  // textContent only: messages and names come from the server and may hold any text.
  function say(form, selector, text) {
    var el = form.querySelector(selector);
    if (el) el.textContent = text;
  }

  async function messageOf(res) {
    try {
      var json = await res.json();
      if (json && json.error && json.error.message) return json.error.message;
    } catch (e) {
      // not JSON: fall through to the status line
    }
    return 'Request failed (' + res.status + ')';
  }

  function after(form, then, json) {
    if (then === 'reload') return location.reload();
    if (then && then.indexOf('go:') === 0) return location.assign(then.slice(3));
    if (then && then.indexOf('say:') === 0) {
      var box = form.closest('td, li, div') || form;
      var status = box.querySelector('.status');
      if (status) status.textContent = then.slice(4);
      return;
    }
    if (then === 'rename' && json) {
      var row = form.closest('[data-device]');
      var shown = row && row.querySelectorAll('[data-bind="displayName"]');
      for (var i = 0; shown && i < shown.length; i++) shown[i].textContent = json.displayName;
      say(form, '.status', 'Saved');
    }
  }

  function send(url, method, body) {
    return fetch(url, {
      method: method,
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'telemute' },
      body: body,
      credentials: 'same-origin',
    });
  }

  async function submit(event) {
    var form = event.target.closest('form[data-api]');
    if (!form) return;
    event.preventDefault();
    say(form, '[role="alert"]', '');
    say(form, '.status', '');
    var wrong = mismatch(form);
    if (wrong) {
      say(form, '[role="alert"]', 'The two passwords differ.');
      return wrong.focus();
    }
    var buttons = form.querySelectorAll('button');
    buttons.forEach(function (b) { b.disabled = true; });
    try {
      var request = requestOf(form);
      var res = await send(request.url, form.dataset.method || 'POST', JSON.stringify(request.body));
      if (!res.ok) return say(form, '[role="alert"]', await messageOf(res));
      var json = res.status === 204 ? null : await res.json().catch(function () { return null; });
      after(form, form.dataset.then, json);
    } catch (e) {
      say(form, '[role="alert"]', 'The router did not answer: ' + e.message);
    } finally {
      buttons.forEach(function (b) { b.disabled = false; });
    }
  }

  document.addEventListener('submit', submit);
  window.telemute.send = send;
  window.telemute.messageOf = messageOf;
})();

// The query log's live tail: a checkbox with data-tail="/api/log/stream?…" opens an EventSource;
// each entry fills a copy of <template id="log-row"> (textContent only: names are hostile text).
(function () {
  var MAX_ROWS = 500; // older rows go: a tab left open must not grow without end
  var source = null;

  function slot(row, name) {
    return row.querySelector('[data-slot="' + name + '"]');
  }

  function answerSummary(e) {
    var countries = [], networks = [];
    e.answers.forEach(function (a) {
      if (a.country && countries.indexOf(a.country) < 0) countries.push(a.country);
      var n = 'AS' + a.asn + (a.org ? ' ' + a.org : '');
      if (a.asn > 0 && networks.indexOf(n) < 0) networks.push(n);
    });
    return [countries.join(' '), networks.join(', ')].filter(Boolean).join(' · ');
  }

  function rowOf(template, e) {
    var row = template.content.firstElementChild.cloneNode(true);
    var time = slot(row, 'time').querySelector('time');
    time.textContent = new Date(e.time).toTimeString().slice(0, 8);
    time.dateTime = time.title = new Date(e.time).toISOString();
    var device = slot(row, 'device');
    device.textContent = '';
    if (e.deviceId) {
      var link = document.createElement('a');
      link.href = '/devices/' + encodeURIComponent(e.deviceId);
      link.textContent = e.deviceName || e.deviceId;
      device.appendChild(link);
    } else device.textContent = 'anonymous';
    slot(row, 'name').textContent = e.name;
    slot(row, 'type').textContent = ({ 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY' })[e.qtype] || 'TYPE' + e.qtype;
    var action = slot(row, 'action');
    action.textContent = e.action;
    action.className = 'badge ' + e.action;
    var flag = slot(row, 'flag');
    flag.textContent = e.flag;
    flag.classList.toggle('hidden', !e.flag);
    slot(row, 'reason').textContent = e.detail;
    slot(row, 'geo').textContent = answerSummary(e);
    slot(row, 'latency').textContent = e.latencyMs >= 0 ? e.latencyMs + ' ms' : '';
    var actions = slot(row, 'actions');
    if (actions && !e.deviceId) actions.textContent = '';
    else if (actions) {
      var allow = actions.querySelector('form.allow'), block = actions.querySelector('form.block');
      allow.querySelector('[name="device"]').value = e.deviceId;
      allow.querySelector('[name="name"]').value = e.name;
      allow.classList.toggle('hidden', e.action !== 'blocked');
      block.dataset.api = '/api/rules/' + window.telemute.ruleId('b', e.deviceId, e.name);
      block.querySelector('[name="text"]').value = '||' + e.name + '^';
      block.querySelector('[name="scope"]').value = 'device:' + e.deviceId;
      block.classList.toggle('hidden', e.action === 'blocked');
      // Same labels as the server's rows (query-log-page.tsx): the buttons say which name they change.
      allow.querySelector('button').setAttribute('aria-label', 'Allow ' + e.name + ' for this device for 1 hour');
      block.querySelector('button').setAttribute('aria-label', 'Block ' + e.name + ' for this device');
    }
    return row;
  }

  function toggle(box) {
    var status = document.querySelector('[data-tail-status]');
    var body = document.querySelector('tbody[data-log]');
    var template = document.getElementById('log-row');
    if (source) source.close();
    source = null;
    if (status) status.textContent = '';
    if (!box.checked || !body || !template) return;
    source = new EventSource(box.dataset.tail);
    source.onopen = function () { if (status) status.textContent = 'live'; };
    source.onerror = function () { if (status) status.textContent = 'reconnecting…'; };
    source.addEventListener('entry', function (m) {
      var empty = document.querySelector('[data-log-empty]');
      if (empty) empty.remove();
      body.insertBefore(rowOf(template, JSON.parse(m.data)), body.firstChild);
      while (body.children.length > MAX_ROWS) body.lastElementChild.remove();
    });
  }

  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('input[data-tail]')) toggle(event.target);
  });
})();

// Backup restore: read the chosen file, ask the router what it would change, then restore on confirm.
(function () {
  var LABELS = { household: 'Household policy', groups: 'Groups', devicePolicies: 'Per-device policies', rules: 'Rules', lists: 'Lists', devices: 'Device names and groups' };

  function line(list, text) {
    var li = document.createElement('li');
    li.textContent = text;
    list.appendChild(li);
  }

  function describe(list, preview) {
    list.textContent = '';
    if (preview.date) line(list, 'Backup made ' + preview.date);
    Object.keys(LABELS).forEach(function (k) {
      var c = preview.changes[k];
      if (k === 'household') return line(list, LABELS[k] + ': ' + (c.changed ? 'changes' : 'unchanged'));
      if (k === 'devices') return line(list, LABELS[k] + ': ' + c.changed + ' changed, ' + c.unknown + ' not on this router (skipped)');
      line(list, LABELS[k] + ': ' + c.added + ' added, ' + c.removed + ' removed, ' + c.changed + ' changed');
    });
  }

  document.addEventListener('submit', async function (event) {
    var form = event.target.closest('form[data-backup]');
    if (!form) return;
    event.preventDefault();
    var alert = form.querySelector('[role="alert"]');
    var box = form.querySelector('.preview');
    alert.textContent = '';
    box.hidden = true;
    var file = form.querySelector('input[type="file"]').files[0];
    if (!file) return;
    var text = await file.text();
    try {
      JSON.parse(text);
    } catch (e) {
      alert.textContent = 'This file is not JSON: ' + e.message;
      return;
    }
    var res = await window.telemute.send('/api/backup/preview', 'POST', text);
    if (!res.ok) return (alert.textContent = await window.telemute.messageOf(res));
    var preview = await res.json();
    if (!preview.ok) return (alert.textContent = preview.errors.join('\n'));
    describe(form.querySelector('[data-preview]'), preview);
    box.hidden = false;
    form.dataset.file = text;
  });

  document.addEventListener('click', async function (event) {
    var button = event.target.closest('[data-restore]');
    if (!button) return;
    var form = button.closest('form');
    var status = form.querySelector('.status');
    button.disabled = true;
    var res = await window.telemute.send('/api/backup/restore', 'POST', form.dataset.file);
    button.disabled = false;
    if (!res.ok) return (form.querySelector('[role="alert"]').textContent = await window.telemute.messageOf(res));
    var result = await res.json();
    status.textContent = 'Restored. ' + result.devicesUpdated + ' device(s) updated' + (result.devicesSkipped.length ? ', ' + result.devicesSkipped.length + ' skipped.' : '.');
  });
})();
