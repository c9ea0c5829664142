#!/usr/bin/env python3
# libcamera-tests-tsv.py ROOT BUILD: every test of libcamera's build as
# `meson test` runs it, from the build's introspection files, one line
# each, tab-separated: NAME SUITE TIMEOUT SHOULD_FAIL VIMC WORKDIR ENV CMD.
# VIMC says whether its sources name vimc (those of its executable and of
# the libraries linked in from the test folders, or its script). ENV is
# space-separated K=V, or -. ROOT is the tree the build is under, BUILD the
# build's path in it (and in the guest).
import json, os, re, sys

root, build = sys.argv[1], sys.argv[2]
info = os.path.join(root + build, 'meson-info')
tests = json.load(open(os.path.join(info, 'intro-tests.json')))
targets = json.load(open(os.path.join(info, 'intro-targets.json')))
srcs_of = {}
for t in targets:
    srcs = [s for ts in t.get('target_sources', []) for s in ts.get('sources', [])]
    for f in t.get('filename', []):
        srcs_of[f] = srcs
# Static libraries of the test folders (libtest, the media_device and
# v4l2_videodevice bases), linked into the tests of the same folder.
libs = {os.path.dirname(f): s for f, s in srcs_of.items()
        if f.endswith('.a') and '/test/' in f}

# meson's introspection omits should_fail: the test folders' meson.build
# files (the source tree is the build's parent) say it, as {'name': NAME, ..., 'should_fail': true}.
should_fail = set()
for d, _, fs in os.walk(root + os.path.dirname(build) + '/test'):
    if 'meson.build' in fs:
        txt = open(os.path.join(d, 'meson.build')).read()
        should_fail |= set(re.findall(r"'name'\s*:\s*'([^']+)'[^}]*'should_fail'\s*:\s*true", txt))

def names_vimc(path):
    try:
        with open(root + path, 'rb') as f:
            return b'vimc' in f.read()
    except OSError:
        return False

for t in tests:
    cmd = t['cmd']
    files = list(srcs_of.get(cmd[0], []))
    files += libs.get(os.path.dirname(cmd[0]), [])
    files += [c for c in cmd if c.startswith('/') and c not in srcs_of]
    vimc = any(names_vimc(f) for f in files)
    env = ' '.join('%s=%s' % kv for kv in sorted(t.get('env', {}).items())) or '-'
    if re.search(r'\s', env.replace(' ', '')) or any(re.search(r'\s', c) for c in cmd):
        sys.exit('libcamera-tests-tsv: whitespace in %s: not representable' % t['name'])
    suite = (t.get('suite') or ['libcamera'])[0].split(':')[-1]
    print('\t'.join([t['name'], suite, str(t.get('timeout') or 30),
                     'yes' if t['name'] in should_fail else 'no', 'yes' if vimc else 'no',
                     t.get('workdir') or build, env, ' '.join(cmd)]))
