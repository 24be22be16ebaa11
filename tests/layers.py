#!/usr/bin/env python3
"""The floors of the house, checked on the built objects (TAP).

1. Calls: every function a folder's library calls is defined in its own
   folder or in a folder below it (nm on the static libraries), so there
   is no call cycle between folders.
2. Includes: a source includes only the public headers (include/cimic/)
   owned by its own floor or a lower one, and never curses or ui/.
3. The public API is a boundary: every function declared in include/cimic/
   has a caller outside its own folder (sync/, ui/ or a higher floor);
   one only tests call belongs in a private header.

Usage: layers.py SRCDIR BUILDDIR
"""
import os
import re
import subprocess
import sys

FLOORS = ['base', 'formats', 'store', 'geo', 'log', 'model', 'io', 'report',
          'sync', 'publish', 'ui']

# Which floor owns each public header (include/cimic/NAME.h).
HEADER_FLOOR = {
    'error': 'base', 'util': 'base', 'fold': 'base', 'i18n': 'base', 'codes': 'base',
    'timefmt': 'base', 'identity': 'base', 'utf8': 'base', 'escape': 'base',
    'text': 'base', 'value': 'base',
    'formats': 'formats',
    'store': 'store', 'vault': 'store',
    'geo': 'geo', 'gazetteer': 'geo',
    'oplog': 'log', 'authority': 'log',
    'model': 'model', 'search': 'model', 'roster': 'model', 'peerstate': 'model',
    'pubstate': 'model', 'scopestate': 'model',
    'duplicates': 'model', 'review': 'model', 'drafts': 'model',
    'demo': 'io', 'io': 'io',
    'report': 'report',
    'bundle': 'sync', 'exchange': 'sync', 'mailbox': 'sync', 'link': 'sync',
    'scope': 'sync',
    'publish': 'publish',
}

n = 0
failed = 0


def ok(cond, what, details=()):
    global n, failed
    n += 1
    print(('ok' if cond else 'not ok') + ' %d - %s' % (n, what))
    for d in list(details)[:40]:
        print('# ' + d)
    if not cond:
        failed = 1


def floor_of_path(path):
    parts = path.split(os.sep)
    if parts[0] == 'src' and len(parts) > 2:
        return parts[1]
    if parts[0] in ('sync', 'publish', 'ui'):
        return parts[0]
    return None


def rank(floor):
    return FLOORS.index(floor)


def nm_symbols(path):
    """(defined, undefined) global function names of an object or archive."""
    out = subprocess.run(['nm', '-g', '--defined-only', path],
                         capture_output=True, text=True).stdout
    defined = {l.split()[-1] for l in out.splitlines()
               if re.match(r'^[0-9a-f]+ [TDBR] ', l)}
    out = subprocess.run(['nm', '-u', path], capture_output=True, text=True).stdout
    undefined = {l.split()[-1] for l in out.splitlines() if l.strip()}
    return defined, undefined


def main():
    src, build = sys.argv[1], sys.argv[2]
    libs = {}
    for floor in FLOORS:
        for cand in ('src/libcimic-%s.a' % floor, '%s/libcimic-%s.a' % (floor, floor)):
            p = os.path.join(build, cand)
            if os.path.exists(p):
                libs[floor] = nm_symbols(p)
    ui_objs = []
    for root, _, files in os.walk(os.path.join(build, 'ui')):
        ui_objs += [os.path.join(root, f) for f in files if f.endswith('.o')]
    ui_def, ui_undef = set(), set()
    for o in ui_objs:
        d, u = nm_symbols(o)
        ui_def |= d
        ui_undef |= u
    libs['ui'] = (ui_def, ui_undef)

    owner = {}
    for floor, (defined, _) in libs.items():
        for s in defined:
            owner[s] = floor

    # 1. calls go down
    bad = []
    for floor, (_, undefined) in libs.items():
        for s in sorted(undefined):
            o = owner.get(s)
            if o is not None and rank(o) > rank(floor):
                bad.append('%s calls %s of %s' % (floor, s, o))
    ok(not bad, 'every call between folders goes down a floor', bad)

    # 2. includes go down
    bad = []
    for root, _, files in os.walk(src):
        rel_root = os.path.relpath(root, src)
        if rel_root.split(os.sep)[0] not in ('src', 'sync', 'publish', 'ui'):
            continue
        for f in files:
            if not f.endswith(('.c', '.h')):
                continue
            rel = os.path.join(rel_root, f)
            floor = floor_of_path(rel)
            if floor is None:
                continue
            text = open(os.path.join(root, f), encoding='utf-8').read()
            for m in re.finditer(r'#include [<"]cimic/(\w+)\.h[">]', text):
                hf = HEADER_FLOOR.get(m.group(1))
                if hf is None:
                    bad.append('%s: cimic/%s.h has no floor in tests/layers.py' %
                               (rel, m.group(1)))
                elif rank(hf) > rank(floor):
                    bad.append('%s (%s) includes cimic/%s.h (%s)' % (rel, floor, m.group(1), hf))
            if floor != 'ui' and re.search(r'#include [<"](n?curses|panel)', text):
                bad.append('%s includes curses' % rel)
    inc = os.path.join(src, 'include', 'cimic')
    for f in sorted(os.listdir(inc)):
        floor = HEADER_FLOOR.get(f[:-2])
        text = open(os.path.join(inc, f), encoding='utf-8').read()
        for m in re.finditer(r'#include [<"]cimic/(\w+)\.h[">]', text):
            hf = HEADER_FLOOR.get(m.group(1))
            if floor is None or hf is None:
                bad.append('cimic/%s or cimic/%s.h has no floor in tests/layers.py' %
                           (f, m.group(1)))
            elif rank(hf) > rank(floor):
                bad.append('cimic/%s (%s) includes cimic/%s.h (%s)' % (f, floor, m.group(1), hf))
    ok(not bad, 'every include of a public header goes down a floor', bad)

    # 3. public prototypes have callers outside their folder
    public = {}
    inc = os.path.join(src, 'include', 'cimic')
    for f in sorted(os.listdir(inc)):
        text = open(os.path.join(inc, f), encoding='utf-8').read()
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        for m in re.finditer(r'^[a-z][\w \*]*?\**\b(\w+)\s*\(', text, flags=re.M):
            name = m.group(1)
            if name not in ('if', 'while', 'return', 'sizeof', 'typedef'):
                public[name] = f
    bad = []
    for name, header in sorted(public.items()):
        o = owner.get(name)
        if o is None:
            continue   # a macro, an inline function, or not built here
        users = [fl for fl, (_, u) in libs.items() if name in u and fl != o]
        if not users:
            bad.append('%s (%s, defined in %s) has no caller outside its folder' %
                       (name, header, o))
    ok(not bad, 'every public function has a caller outside its folder', bad)

    print('1..%d' % n)
    return failed


if __name__ == '__main__':
    sys.exit(main())
