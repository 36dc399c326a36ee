#!/usr/bin/env python3
# gen-region-codes.py — data/gb2260-counties.tsv as a sorted C table for ow-region.c
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

rows = []
with open(sys.argv[1], encoding='utf-8') as f:
    for line in f:
        if line.startswith('#') or not line.strip():
            continue
        code, _name, status = line.rstrip('\n').split('\t')
        if len(code) != 6 or not code.isdigit() or status not in ('current', 'historical'):
            sys.exit('%s: not a row of the table: %r' % (sys.argv[1], line))
        rows.append((int(code), status == 'historical'))
rows.sort()
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    out.write('/* Generated from data/gb2260-counties.tsv by gen-region-codes.py: do not edit. */\n')
    out.write('static const guint32 region_codes[] = {\n')
    for code, historical in rows:
        # The low bit says "historical".
        out.write('  %d,\n' % (code * 2 + (1 if historical else 0)))
    out.write('};\n')
