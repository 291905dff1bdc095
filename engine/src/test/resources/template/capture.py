#!/usr/bin/env python3
"""Renders every template of cases.txt with the real Ansible and writes expected.json for TemplarOracleTest.

Each case becomes a `debug: msg=<template>` task (ignore_errors) in a playbook that loads vars.yml; the playbook
runs twice, with Ansible's default (jinja2_native off) and with ANSIBLE_JINJA2_NATIVE=True, and a third task per
single-expression case records `(expr) | type_debug`. The JSON stdout callback gives the typed values. jplay keeps
the native value of a single expression unless that value is a string (see Templar's Javadoc), so the test needs
all three. Run from anywhere: `python3 engine/src/test/resources/template/capture.py` (needs ansible-core 2.14).
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SINGLE = re.compile(r'\A\{\{((?:(?!\{\{|\}\}).)*)\}\}\Z', re.S)


def cases():
    with open(os.path.join(HERE, 'cases.txt'), encoding='utf-8') as f:
        for line in f.read().split('\n'):
            if line and not line.startswith('#'):
                yield line


def run(tasks, native):
    play = [{'hosts': 'localhost', 'gather_facts': False, 'vars_files': ['vars.yml'], 'tasks': tasks}]
    book = os.path.join(HERE, '.capture-playbook.yml')
    with open(book, 'w', encoding='utf-8') as f:
        json.dump(play, f)  # JSON is YAML, and quotes every template exactly
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK='json', ANSIBLE_JINJA2_NATIVE=str(native),
               ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_LOCALHOST_WARNING='False')
    env.pop('NO_SUCH_ENV_VAR_JPLAY', None)
    try:
        out = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', book], cwd=HERE, env=env,
                             capture_output=True, text=True).stdout
    finally:
        os.remove(book)
    results = []
    for task in json.loads(out)['plays'][0]['tasks']:
        r = task['hosts']['localhost']
        results.append({'error': r.get('msg')} if r.get('failed') else {'value': r.get('msg')})
    return results


def main():
    templates = list(cases())
    tasks, index = [], []
    for t in templates:
        index.append(len(tasks))
        tasks.append({'debug': {'msg': t}, 'ignore_errors': True})
        m = SINGLE.match(t)
        if m:
            tasks.append({'debug': {'msg': '{{ (' + m.group(1) + ') | type_debug }}'}, 'ignore_errors': True})
    default, native = run(tasks, False), run(tasks, True)
    out = []
    for t, i in zip(templates, index):
        case = {'template': t, 'default': default[i], 'native': native[i]}
        if SINGLE.match(t):
            case['type'] = default[i + 1].get('value')
        out.append(case)
    with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write('\n')
    print(f'{len(out)} cases written to expected.json', file=sys.stderr)


main()
