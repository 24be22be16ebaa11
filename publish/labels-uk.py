#!/usr/bin/env python3
# labels-uk.py - the Ukrainian labels of the code lists, from po/uk.po, as C.
#
#   labels-uk.py po/uk.po OUTPUT.c
#
# The published tables carry each code with its English and its Ukrainian
# label whatever the locale of the process that publishes, so the labels
# are taken from the catalogue at build time: every translated, non-fuzzy
# entry whose references name codes.c.  The table is sorted by msgid in
# byte order (strcmp) for bsearch.
import sys


def unquote(s):
    s = s.strip()
    if not (s.startswith('"') and s.endswith('"')):
        raise ValueError('not a PO string: ' + s)
    out, i, body = [], 0, s[1:-1]
    while i < len(body):
        c = body[i]
        if c == '\\' and i + 1 < len(body):
            n = body[i + 1]
            out.append({'n': '\n', 't': '\t', '"': '"', '\\': '\\'}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def entries(text):
    for block in text.split('\n\n'):
        refs, flags, cur, parts = [], '', None, {}
        for line in block.splitlines():
            if not line.strip():
                continue
            if line.startswith('#:'):
                refs.append(line[2:])
            elif line.startswith('#,'):
                flags += line[2:]
            elif line.startswith('#'):
                continue
            elif line.startswith('"') and cur:
                parts[cur] += unquote(line)
            else:
                key, _, rest = line.partition(' ')
                cur = key
                parts[cur] = unquote(rest)
        if 'msgid' in parts and 'msgstr' in parts and 'msgid_plural' not in parts:
            yield ' '.join(refs), flags, parts['msgid'], parts['msgstr']


def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def main():
    po, out = sys.argv[1], sys.argv[2]
    with open(po, encoding='utf-8') as f:
        text = f.read()
    table = {}
    for refs, flags, msgid, msgstr in entries(text):
        if msgid and msgstr and 'fuzzy' not in flags and 'codes.c:' in refs:
            table[msgid] = msgstr
    keys = sorted(table, key=lambda k: k.encode('utf-8'))
    with open(out, 'w', encoding='utf-8') as f:
        f.write('/* Generated from %s by publish/labels-uk.py: do not edit. */\n' % 'po/uk.po')
        f.write('#include "publish_private.h"\n\n')
        f.write('const struct publish_label publish_labels_uk[] = {\n')
        for k in keys:
            f.write('\t{ %s, %s },\n' % (c_string(k), c_string(table[k])))
        f.write('};\n')
        f.write('const size_t publish_labels_uk_count = %d;\n' % len(keys))


if __name__ == '__main__':
    main()
