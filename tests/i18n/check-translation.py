#!/usr/bin/env python3
# check-translation.py — fails when po/zh_CN.po is not a complete translation of the sources:
#  - a message of po/zh_CN.po is untranslated or fuzzy, or msgfmt --check rejects the file;
#  - a translatable message of the sources (every file of po/POTFILES.in, extracted with the
#    keywords of meson's glib preset) is missing from po/zh_CN.po;
#  - a file under src/ or ui/ marks strings for translation but is not in po/POTFILES.in,
#    or po/POTFILES.in names a file that does not exist.
# Usage: check-translation.py SOURCE_ROOT [LANG]   (LANG defaults to zh_CN)
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import subprocess
import sys
import tempfile

# The same as meson's i18n.gettext(preset: 'glib', args: ['--from-code=UTF-8']).
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]

# A call of a gettext keyword in C, or a translatable property/item in a GtkBuilder file.
MARK_C = re.compile(r'(?<![A-Za-z0-9_])(?:N|C|NC)?_\s*\(|g_dn?gettext\s*\(|g_dpgettext2\s*\(')
MARK_UI = re.compile(r'translatable\s*=\s*"yes"')


def run(args, **kw):
    return subprocess.run(args, check=False, capture_output=True, text=True, **kw)


def msgids(po_path, *filters):
    """The msgids (with context and plural, one line each) that msgattrib FILTERS selects."""
    r = run(['msgattrib', '--no-wrap', '--no-location', '--no-obsolete', *filters, po_path])
    if r.returncode != 0:
        sys.exit(f'msgattrib {" ".join(filters)} {po_path} failed:\n{r.stderr}')
    found, entry = [], None
    cur = None
    for line in r.stdout.splitlines() + ['']:
        if line.startswith('msgctxt '):
            entry = {'ctxt': eval(line[8:])}
            cur = 'ctxt'
        elif line.startswith('msgid '):
            entry = entry or {}
            entry['id'] = eval(line[6:])
            cur = 'id'
        elif line.startswith('msgid_plural '):
            entry['plural'] = eval(line[13:])
            cur = 'plural'
        elif line.startswith('"') and entry is not None and cur in ('ctxt', 'id', 'plural'):
            entry[cur] += eval(line)
        elif line.startswith('msgstr'):
            cur = None
        elif not line.strip():
            if entry and entry.get('id'):
                text = repr(entry['id'])
                if 'plural' in entry:
                    text += ' / ' + repr(entry['plural'])
                if 'ctxt' in entry:
                    text = f'[{entry["ctxt"]}] ' + text
                found.append(text)
            entry, cur = None, None
    return found


def main():
    top = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '.')
    lang = sys.argv[2] if len(sys.argv) > 2 else 'zh_CN'
    po = os.path.join(top, 'po', lang + '.po')
    potfiles_in = os.path.join(top, 'po', 'POTFILES.in')
    failures = 0

    with open(potfiles_in, encoding='utf-8') as f:
        potfiles = [l.strip() for l in f if l.strip() and not l.lstrip().startswith('#')]

    # 1. POTFILES.in against the tree.
    gone = [p for p in potfiles if not os.path.isfile(os.path.join(top, p))]
    if gone:
        failures += 1
        print(f'po/POTFILES.in names {len(gone)} file(s) that do not exist:')
        for p in gone:
            print('   ', p)
    unlisted = []
    for folder in ('src', 'ui'):
        for root, dirs, files in os.walk(os.path.join(top, folder)):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, top)
                if rel in potfiles:
                    continue
                try:
                    with open(path, encoding='utf-8') as f:
                        text = f.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if name.endswith(('.c', '.h')):
                    # Ignore comments, where "_(" may appear in prose.
                    text = re.sub(r'/\*.*?\*/|//[^\n]*', '', text, flags=re.S)
                    if MARK_C.search(text):
                        unlisted.append(rel)
                elif name.endswith('.ui') and MARK_UI.search(text):
                    unlisted.append(rel)
    if unlisted:
        failures += 1
        print(f'{len(unlisted)} file(s) under src/ or ui/ mark strings for translation '
              'but are missing from po/POTFILES.in:')
        for p in unlisted:
            print('   ', p)

    # 2. The translation file itself.
    r = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po])
    print(f'{os.path.relpath(po, top)}: {r.stderr.strip()}')
    if r.returncode != 0:
        failures += 1
        print('msgfmt --check rejects it.')
    for what, flag in (('untranslated', '--untranslated'), ('fuzzy', '--only-fuzzy')):
        ids = msgids(po, flag)
        if ids:
            failures += 1
            print(f'{len(ids)} {what} message(s) in {os.path.relpath(po, top)}:')
            for m in ids:
                print('   ', m)

    # 3. The sources against the translation: extract, merge, look for what is left.
    with tempfile.TemporaryDirectory(prefix='ow-i18n-') as tmp:
        listed = [p for p in potfiles if p not in gone] + unlisted
        files_from = os.path.join(tmp, 'POTFILES')
        with open(files_from, 'w', encoding='utf-8') as f:
            f.write('\n'.join(listed) + '\n')
        pot = os.path.join(tmp, 'onewindow.pot')
        r = run(['xgettext', '--package-name=onewindow', '-D', top, '-o', pot,
                 '--files-from=' + files_from, *XGETTEXT_ARGS])
        if r.returncode != 0 or not os.path.exists(pot):
            sys.exit(f'xgettext failed:\n{r.stderr}')
        merged = os.path.join(tmp, lang + '.po')
        r = run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot])
        if r.returncode != 0:
            sys.exit(f'msgmerge failed:\n{r.stderr}')
        ids = msgids(merged, '--untranslated') + msgids(merged, '--only-fuzzy')
        if ids:
            failures += 1
            print(f'{len(ids)} translatable message(s) of the sources are missing from '
                  f'{os.path.relpath(po, top)} (run ninja onewindow-update-po, then translate):')
            for m in ids:
                print('   ', m)
        total = len(msgids(pot))
        print(f'{total} messages extracted from {len(listed)} files.')

    if failures:
        print('FAIL: the translation is incomplete.')
        return 1
    print('OK: every message is translated.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
