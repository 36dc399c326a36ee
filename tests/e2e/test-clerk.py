#!/usr/bin/env python3
# test-clerk.py — the end-to-end test of issue 4 item 10: the real app, driven through AT-SPI the
# way a clerk works, against the real platform, a real IPP printer and SANE's test backend.
#
# Run (meson does) under a fresh X server and session bus:
#   xvfb-run -a -s "-screen 0 1366x768x24" dbus-run-session -- /usr/bin/python3 \
#     tests/e2e/test-clerk.py --app BUILD/src/gui/onewindow --platform BUILD/src/platform/onewindow-platform
# Starts onewindow-platform --demo, ippeveprinter (with its own private dbus-daemon) and the app;
# logs in as clerk/demo, finds an item by the pinyin initials "yyzz", fills the applicant, marks
# every material "On paper" and accepts; then checks, outside the app, that the case is on the
# platform and that the printer's spool holds a PDF whose text has 受理通知书.
# The mouse-and-forms way: through AT-SPI's actions and text interfaces; test-keyboard.py does
# the same work with the keyboard alone. What the processes share is owe2e.py's.
# For trying it by hand: --search TEXT (another search than "yyzz"), --dump (print the
# accessible tree after start and stop), --keep (keep the temporary folder).
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import sys
import time

from owe2e import (Failure, Keyboard, atspi, choose, click, find, find_all, item_names,
                   label_texts, log, main, press, set_text, spooled_pdfs, wait_case_of, wait_for)

# What the test finds in the app, by accessible role and name (C locale, so English names).
NAME_USERNAME = 'User name'
NAME_PASSWORD = 'Password'
NAME_LOGIN = 'Log In'
NAME_SEARCH = 'Search service items'
NAME_ITEMS = 'Service items'
NAME_MATERIALS = 'Materials checklist'
NAME_APPLICANT_NAME = 'Name'
NAME_APPLICANT_ID = 'ID number'
NAME_MOBILE = 'Mobile'
NAME_ACCEPT = r'^Accept and Print Notice$'    # a regular expression
STATUS_PREFIX = 'Status of '          # the status drop-down of one material line
ON_PAPER = 'On paper'
SEARCH_TEXT = 'yyzz'                  # pinyin initials of 营业执照
APPLICANT = ('张三', '11010519491231002X', '13800138000')


def run(args, app, platform, spool, tmp):
    pyatspi = atspi()
    # Log in.
    window = wait_for('the main window', lambda: find(pyatspi, app, role=pyatspi.ROLE_FRAME,
                                                      need_showing=False))
    username = wait_for(f'the text field "{NAME_USERNAME}"',
                        lambda: find(pyatspi, window, role=pyatspi.ROLE_TEXT, name=NAME_USERNAME,
                                     need_showing=False))
    password = wait_for(f'the password field "{NAME_PASSWORD}"',
                        lambda: find(pyatspi, window, role=pyatspi.ROLE_PASSWORD_TEXT,
                                     name=NAME_PASSWORD, need_showing=False))
    set_text(username, 'clerk')
    set_text(password, 'demo')
    click(pyatspi, window, NAME_LOGIN)
    log('pressed', NAME_LOGIN)

    # Find the item by pinyin initials.
    search = wait_for(f'the search field "{NAME_SEARCH}"',
                      lambda: find(pyatspi, window, name=NAME_SEARCH, need_showing=False))
    items = wait_for(f'the list "{NAME_ITEMS}"',
                     lambda: find(pyatspi, window, role=pyatspi.ROLE_LIST, name=NAME_ITEMS,
                                  need_showing=False))
    # Logged in once the catalog fills the list (an empty search lists every item).
    try:
        wait_for('the catalog in the list after logging in',
                 lambda: item_names(pyatspi, items), timeout=15)
    except Failure:
        raise Failure('the list of service items stayed empty after logging in; the window '
                      f'shows: {label_texts(pyatspi, window)}')
    before = item_names(pyatspi, items)
    log(f'logged in as clerk; {len(before)} items listed')
    set_text(search, args.search)
    log(f'typed {args.search!r} into "{NAME_SEARCH}"')

    # The list is rebuilt as the search runs: take it once it has held still for 0.6 s.
    settled = {'names': None, 'since': 0.0}

    def results():
        names = item_names(pyatspi, items)
        now = time.monotonic()
        if names != settled['names']:
            settled['names'], settled['since'] = names, now
            return None
        if names and names != before and now - settled['since'] >= 0.6:
            return names
        return None
    try:
        found = wait_for(f'the search for {args.search!r} to list service items', results,
                         timeout=10)
    except Failure:
        raise Failure(f'searching for {args.search!r} lists no service item (is pinyin search '
                      f'in?); the list shows {item_names(pyatspi, items)[:5]}')
    log(f'{len(found)} result(s); choosing the first: {found[0]}')
    # Enter in the search (which has the focus since logging in) takes the best match. GTK
    # 4.8's AT-SPI "activate" of a search entry does not reach its ::activate.
    Keyboard().press('Return')

    # Its materials checklist: every line "On paper".
    materials = wait_for(f'the list "{NAME_MATERIALS}"',
                         lambda: find(pyatspi, window, role=pyatspi.ROLE_LIST,
                                      name=NAME_MATERIALS, need_showing=False))
    combos = wait_for('the materials of the chosen item',
                      lambda: find_all(pyatspi, materials, role=pyatspi.ROLE_COMBO_BOX,
                                       name_re='^' + re.escape(STATUS_PREFIX),
                                       need_showing=False))
    log(f'{len(combos)} material(s)')
    for combo in combos:
        choose(pyatspi, combo, ON_PAPER)
    log(f'every material marked "{ON_PAPER}"')

    # The applicant.
    for label, value in zip((NAME_APPLICANT_NAME, NAME_APPLICANT_ID, NAME_MOBILE), APPLICANT):
        entry = wait_for(f'the text field "{label}"',
                         lambda: find(pyatspi, window, role=pyatspi.ROLE_TEXT, name=label,
                                      need_showing=False))
        set_text(entry, value)
    log('applicant entered')

    # Accept.
    accept = wait_for('the accept button',
                      lambda: find(pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON,
                                   name_re=NAME_ACCEPT, need_showing=False))
    # GTK 4.8 marks an insensitive widget by leaving out SENSITIVE.
    wait_for('the accept button to be enabled',
             lambda: accept.getState().contains(pyatspi.STATE_SENSITIVE), timeout=10)
    press(accept)
    log('pressed', repr(accept.name))

    # Outside the app: the platform has the case, the printer the notice. (The app's toast
    # "Case … accepted; notice printed" lasts 5 s, shorter than a walk of the tree may take on a
    # busy machine, so the case is found on the platform by its applicant instead.)
    try:
        check_platform(platform)
        check_spool(spool)
    except Failure as e:
        raise Failure(f'{e}; the window shows: {label_texts(pyatspi, window)}')


def check_platform(platform):
    case = wait_case_of(platform, APPLICANT[1])
    case_no = case['case_no']
    applicant = case.get('applicant') or {}
    got = (applicant.get('name'), applicant.get('id_number'), applicant.get('phone'))
    if got != APPLICANT:
        raise Failure(f'the platform has the applicant {got}, not {APPLICANT}')
    if case.get('state') != 'accepted':
        raise Failure(f'the case on the platform is {case.get("state")!r}, not accepted')
    statuses = {m.get('status') for m in case.get('materials', [])}
    if statuses != {'paper'}:
        raise Failure(f'the materials on the platform are {statuses}, not all paper')
    log(f'case {case_no} is on the platform, accepted, applicant {got[0]}')
    return case_no


def check_spool(spool):
    found = wait_for("a PDF with 受理通知书 in the printer's spool",
                     lambda: spooled_pdfs(spool, '受理通知书'), timeout=20, interval=0.3)
    log('the notice is in the spool:', os.path.basename(found[0]))


def add_arguments(parser):
    parser.add_argument('--search', default=SEARCH_TEXT,
                        help='what to type into the search (for trying the test by hand)')


if __name__ == '__main__':
    sys.exit(main(run, 'A clerk accepts a case through the accessibility bus.', add_arguments))
