#!/usr/bin/env node
// A stand-in for OpenWrt's `uci` CLI, for the tests only: the real one (C, libuci)
// is not packaged for Debian. It keeps the config in a JSON file ($UCI_STUB_STATE)
// and implements the subset the telemute scripts use: show, get, set, add_list,
// del_list, delete, commit, with -q and @type[index] section references.
// Changes apply at once (no staging); `commit` is logged to $UCI_STUB_LOG so a
// test can count flash writes.
import fs from 'node:fs';

const statePath = process.env.UCI_STUB_STATE;
if (!statePath) {
  process.stderr.write('uci-stub: UCI_STUB_STATE not set\n');
  process.exit(2);
}
let args = process.argv.slice(2);
const quiet = args.includes('-q');
args = args.filter((a) => a !== '-q');
const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
const fail = (msg) => {
  if (!quiet) process.stderr.write(`uci: ${msg}\n`);
  process.exit(1);
};
const save = () => fs.writeFileSync(statePath, JSON.stringify(state, null, 2) + '\n');

function resolve(ref, create) {
  const [pkg, sec, opt] = ref.split('.');
  const sections = state[pkg];
  if (!sections) return fail('Entry not found');
  let section;
  const m = /^@([^[]+)\[(-?\d+)\]$/.exec(sec ?? '');
  if (m) {
    const ofType = sections.filter((s) => s.type === m[1]);
    const i = Number(m[2]);
    section = ofType[i < 0 ? ofType.length + i : i];
  } else section = sections.find((s) => s.name === sec);
  if (!section) {
    if (!create || !sec || m) return fail('Entry not found');
    section = { name: sec, type: undefined, options: {} };
    sections.push(section);
  }
  return { pkg, section, opt };
}

const quote = (v) => `'${v}'`;
const [cmd, arg = ''] = args;
switch (cmd) {
  case 'show': {
    const { pkg, section, opt } = resolve(arg);
    const base = `${pkg}.${section.name}`;
    if (opt) {
      const v = section.options[opt];
      if (v === undefined) fail('Entry not found');
      console.log(`${base}.${opt}=${Array.isArray(v) ? v.map(quote).join(' ') : quote(v)}`);
      break;
    }
    console.log(`${base}=${section.type}`);
    for (const [k, v] of Object.entries(section.options)) {
      console.log(`${base}.${k}=${Array.isArray(v) ? v.map(quote).join(' ') : quote(v)}`);
    }
    break;
  }
  case 'get': {
    const { section, opt } = resolve(arg);
    if (!opt) {
      console.log(section.type);
      break;
    }
    const v = section.options[opt];
    if (v === undefined) fail('Entry not found');
    console.log(Array.isArray(v) ? v.join(' ') : v);
    break;
  }
  case 'set':
  case 'add_list':
  case 'del_list': {
    const eq = arg.indexOf('=');
    if (eq < 0) fail('Invalid argument');
    const ref = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    const { section, opt } = resolve(ref, cmd === 'set');
    if (!opt) {
      section.type = value; // `uci set pkg.name=type` creates a section
    } else if (cmd === 'set') {
      section.options[opt] = value;
    } else {
      const cur = section.options[opt];
      const list = Array.isArray(cur) ? cur : cur === undefined ? [] : [cur];
      if (cmd === 'add_list') section.options[opt] = [...list, value];
      else {
        const rest = list.filter((v) => v !== value);
        if (rest.length) section.options[opt] = rest;
        else delete section.options[opt];
      }
    }
    save();
    break;
  }
  case 'delete': {
    const { pkg, section, opt } = resolve(arg);
    if (opt) {
      if (section.options[opt] === undefined) fail('Entry not found');
      delete section.options[opt];
    } else state[pkg] = state[pkg].filter((s) => s !== section);
    save();
    break;
  }
  case 'commit':
    if (process.env.UCI_STUB_LOG) fs.appendFileSync(process.env.UCI_STUB_LOG, `commit ${arg}\n`);
    break;
  default:
    fail(`unsupported command ${cmd}`);
}
