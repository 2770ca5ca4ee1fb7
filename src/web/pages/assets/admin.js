// telemute admin: the pages' only script, served from the bundle ('self' under the CSP; no inline
// code anywhere). The JSON API is the single way to change anything, and it wants JSON bodies and
// the CSRF header (X-Requested-With: telemute), which a bare HTML form cannot send, so every form
// with data-api is submitted here with fetch.
//
// Form attributes:
//   data-api="/api/..."   where to send; data-method (default POST)
//   data-then="go:/path" | "reload" | "rename"   what to do after a 2xx answer
// Field attributes: data-type="number" sends a number; data-same-as="other" must equal that field
// and is not sent (inputs without a name are never sent).
'use strict';
(function () {
  function fieldsOf(form) {
    var body = {};
    var inputs = form.querySelectorAll('input[name], select[name], textarea[name]');
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === 'checkbox') body[el.name] = el.checked;
      else if (el.dataset.type === 'number') body[el.name] = Number(el.value);
      else body[el.name] = el.value;
    }
    return body;
  }

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
    if (then === 'rename' && json) {
      var row = form.closest('[data-device]');
      var shown = row && row.querySelectorAll('[data-bind="displayName"]');
      for (var i = 0; shown && i < shown.length; i++) shown[i].textContent = json.displayName;
      say(form, '.status', 'Saved');
    }
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
      var res = await fetch(form.dataset.api, {
        method: form.dataset.method || 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'telemute' },
        body: JSON.stringify(fieldsOf(form)),
        credentials: 'same-origin',
      });
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
})();
