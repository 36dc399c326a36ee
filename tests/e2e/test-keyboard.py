#!/usr/bin/env python3
# test-keyboard.py — an ordinary acceptance with the keyboard alone, its key presses counted.
#
# The real app against the real platform and printer, driven by X key events (through AT-SPI's
# registry, which sends them with XTest), as a clerk's hands would. After logging in:
#  1. the keyboard's map of the page: from the search, Down walks the results without choosing
#     anything and Up goes back; Tab goes from the search row to the results (one stop, not
#     one per row) and on to the applicant; Shift+Tab comes back the same way;
#  2. an ordinary acceptance, counted: the item found by its pinyin initials and taken with
#     Enter, the applicant typed (ID number, name, mobile; Tab between them), every required
#     material "received on paper" in one action (Ctrl+M), accepted and printed (Ctrl+Enter).
#     A chord counts as one press; typing a field counts once (what a person does, not the
#     characters). It must take no more than --max-actions (12), it says how many it took,
#     and the platform must have the case, accepted, with its required materials on paper,
#     and the printer's spool the 受理通知书: one A4 page per copy, each with its seal on it;
#  3. the registration of unfinished business, Ctrl+B, opens its dialog from inside a text
#     field, where GTK's input method takes Ctrl+Shift+U for Unicode input.
# With --agent-and-scan it counts the whole case instead: an agent applying for the
# applicant, one material scanned in its pages dialog (SANE's test backend), the rest on paper.
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import re
import subprocess
import sys
import time

from owe2e import (Failure, Keyboard, atspi, describe, find, find_all, focused, item_names,
                   log, main, press, set_text, spooled_pdfs, wait_case_of, wait_focus,
                   wait_for)

APPLICANT = ('李四', '11010519491231002X', '13800138000')
AGENT = ('王五', '460106198503150023', '13900139000')
SEARCH = 'yyzz'                 # pinyin initials of 营业执照: 有限责任公司设立登记 comes first
COPIES = 3                      # of an acceptance notice, the settings' default


def log_in(pyatspi, window):
    username = wait_for('the user name field', lambda: find(
        pyatspi, window, role=pyatspi.ROLE_TEXT, name='User name', need_showing=False))
    set_text(username, 'clerk')
    set_text(find(pyatspi, window, role=pyatspi.ROLE_PASSWORD_TEXT, name='Password',
                  need_showing=False), 'demo')
    press(find(pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON, name='Log In',
               need_showing=False))
    items = wait_for('the list of service items', lambda: find(
        pyatspi, window, role=pyatspi.ROLE_LIST, name='Service items'), timeout=30)
    wait_for('the catalog in the list', lambda: item_names(pyatspi, items), timeout=30)
    return items


def results_settled(pyatspi, items, before):
    """Waits until the results differ from BEFORE and hold still for half a second."""
    state = {'names': None, 'since': 0.0}

    def settled():
        names = item_names(pyatspi, items)
        now = time.monotonic()
        if names != state['names']:
            state['names'], state['since'] = names, now
            return None
        return names if names and names != before and now - state['since'] >= 0.5 else None
    return wait_for('the search results', settled, timeout=15)


def check_map(pyatspi, window, items, keys):
    """Arrows and Tab, from the search, as the page promises them."""
    search = wait_focus(window, 'the focus in the search after logging in',
                        name='Search service items')
    first_rows = item_names(pyatspi, items)[:2]
    keys.press('Down')
    wait_focus(window, 'Down from the search on the first result', role=pyatspi.ROLE_LIST_ITEM,
               name=first_rows[0])
    keys.press('Down')
    wait_focus(window, 'Down again on the second result', role=pyatspi.ROLE_LIST_ITEM,
               name=first_rows[1])
    if find(pyatspi, window, role=pyatspi.ROLE_COMBO_BOX, name_re='^Status of '):
        raise Failure('moving through the results chose an item (its checklist shows)')
    keys.press('Up', times=2)
    wait_focus(window, 'Up from the first result back in the search', name=search.name)

    # Tab: the search row's buttons, then the results as one stop, then on to the applicant.
    keys.press('Tab', times=3)
    wait_focus(window, 'Tab from the search row into the results', role=pyatspi.ROLE_LIST_ITEM,
               name=first_rows[0])
    keys.press('Tab')
    after = wait_for('the focus to leave the results', lambda: (
        focused(window) if focused(window) is not None
        and focused(window).getRoleName() != 'list item' else None), timeout=5)
    log(f'Tab from the results goes to {describe(after)}')
    if after.name != 'Kind':
        raise Failure(f'Tab from the results went to {describe(after)}, not the applicant')
    keys.press('shift+Tab')
    wait_focus(window, 'Shift+Tab back into the results', role=pyatspi.ROLE_LIST_ITEM)
    keys.press('shift+Tab', times=3)
    wait_focus(window, 'Shift+Tab back in the search', name=search.name)
    log('the keyboard map holds: arrows through the results, Tab from step to step')


def accept(pyatspi, window, items, keys):
    """The acceptance itself, counted."""
    before = item_names(pyatspi, items)
    keys.type(SEARCH)
    results_settled(pyatspi, items, before)
    keys.press('Return')
    wait_focus(window, 'Enter in the search: on to the applicant', name='ID number')
    materials = find(pyatspi, window, role=pyatspi.ROLE_LIST, name='Materials checklist')
    n_lines = len(find_all(pyatspi, materials, role=pyatspi.ROLE_COMBO_BOX,
                           name_re='^Status of '))
    log(f'item taken; {n_lines} materials to check')

    keys.type(APPLICANT[1])
    keys.press('Tab')
    wait_focus(window, 'Tab from the ID number to the name', name='Name')
    keys.type(APPLICANT[0])
    keys.press('Tab')
    wait_focus(window, 'Tab from the name to the mobile', name='Mobile')
    keys.type(APPLICANT[2])
    keys.press('ctrl+m')

    button = wait_for('the accept button', lambda: find(
        pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON, name='Accept and Print Notice'))
    wait_for('the accept button to be enabled (every required material on paper)',
             lambda: button.getState().contains(pyatspi.STATE_SENSITIVE), timeout=10)
    keys.press('ctrl+Return')
    return n_lines


def page_texts(path):
    """The text of each page of the PDF at PATH."""
    info = subprocess.run(['pdfinfo', path], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r'^Pages:\s+(\d+)', info, re.M).group(1))
    return [subprocess.run(['pdftotext', '-enc', 'UTF-8', '-f', str(p), '-l', str(p), path, '-'],
                           capture_output=True, check=True).stdout.decode('utf-8')
            for p in range(1, pages + 1)]


def check_notice_pages(path, copies):
    """An ordinary acceptance prints one A4 sheet per copy, each with its seal on it: the seal's
    text (the organ and the day under "（印章）") on the last page of the notice's text."""
    texts = page_texts(path)
    if len(texts) != copies:
        raise Failure(f'the notice in the spool has {len(texts)} pages for {copies} copies')
    for number, text in enumerate(texts, 1):
        if '受理通知书' not in text or '（印章）' not in text:
            raise Failure(f'page {number} of the notice lacks its text or its seal: {text[:200]!r}')
        seal = text[text.index('（印章）'):]
        if '海口市政务服务中心' not in seal or not re.search(r'\d{4}年\d{1,2}月\d{1,2}日', seal):
            raise Failure(f'the seal on page {number} lacks its organ or its day: {seal!r}')
    log(f'the notice: {len(texts)} pages for {copies} copies, each sealed on its page')


def accept_with_agent_and_scan(pyatspi, window, app, items, keys):
    """The issue's whole case, counted: as accept(), and an agent applies for the applicant,
    and one material is scanned."""
    before = item_names(pyatspi, items)
    keys.type(SEARCH)
    results_settled(pyatspi, items, before)
    keys.press('Return')
    wait_focus(window, 'Enter in the search: on to the applicant', name='ID number')
    keys.type(APPLICANT[1])
    keys.press('Tab')
    keys.type(APPLICANT[0])
    keys.press('Tab')
    keys.type(APPLICANT[2])
    keys.press('Tab')
    wait_focus(window, 'Tab from the mobile to the agent switch',
               name="Someone else applies on the applicant's behalf")
    keys.press('space')
    for label, value in zip(("Agent's name", "Agent's ID number", "Agent's mobile"), AGENT):
        keys.press('Tab')
        wait_focus(window, f'Tab on to "{label}"', name=label)
        keys.type(value)

    # The first line not yet marked, then its Scan button, in the pages dialog Alt+S, Done.
    keys.press('ctrl+4')
    wait_focus(window, 'Ctrl+4 on the first material', role=pyatspi.ROLE_LIST_ITEM)
    keys.press('Right', times=2)
    scan = wait_focus(window, 'Right twice on its Scan button', role=pyatspi.ROLE_PUSH_BUTTON,
                      name_re=r'^Scan .')
    material = scan.name[len('Scan '):]
    count = app.childCount
    keys.press('Return')
    dialog = wait_for('the pages dialog', lambda: app.childCount > count and
                      app.getChildAtIndex(app.childCount - 1), timeout=10)
    # Scanning waits for the scanner to be found, as the clerk does.
    wait_for('the scanner in the pages dialog', lambda: find(
        pyatspi, dialog, role=pyatspi.ROLE_PUSH_BUTTON, name='Scan'
    ).getState().contains(pyatspi.STATE_SENSITIVE), timeout=20)
    keys.press('alt+s')
    wait_for('a scanned page in the pages dialog', lambda: find(
        pyatspi, dialog, role=pyatspi.ROLE_PUSH_BUTTON, name_re=r'^Done'
    ).getState().contains(pyatspi.STATE_SENSITIVE), timeout=30)
    keys.press('ctrl+Return')
    wait_for('the pages dialog to close', lambda: app.childCount <= count, timeout=15)
    keys.press('ctrl+m')
    button = wait_for('the accept button', lambda: find(
        pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON, name='Accept and Print Notice'))
    wait_for('the accept button to be enabled', lambda: button.getState().contains(
        pyatspi.STATE_SENSITIVE), timeout=15)
    keys.press('ctrl+Return')
    return material


def run_agent_and_scan(args, app, platform, spool, tmp):
    pyatspi = atspi()
    window = wait_for('the main window', lambda: find(pyatspi, app, role=pyatspi.ROLE_FRAME,
                                                      need_showing=False))
    items = log_in(pyatspi, window)
    keys = Keyboard()
    scanned = accept_with_agent_and_scan(pyatspi, window, app, items, keys)
    log(f'the acceptance with an agent and a scan took {keys.summary()}: '
        f'{keys.actions()} actions')
    case = wait_case_of(platform, APPLICANT[1])
    agent = case.get('agent') or {}
    if (agent.get('name'), agent.get('id_number'), agent.get('phone')) != AGENT:
        raise Failure(f'the platform has the agent {agent}, not {AGENT}')
    lines = {m.get('name'): m for m in case.get('materials', [])}
    if lines.get(scanned, {}).get('status') != 'scanned' or not lines[scanned].get('files'):
        raise Failure(f'"{scanned}" is not scanned on the platform: {lines.get(scanned)}')
    log(f'case {case["case_no"]} accepted with its agent and "{scanned}" scanned')
    if keys.actions() > args.max_actions:
        raise Failure(f'the acceptance with an agent and a scan took {keys.actions()} actions, '
                      f'more than {args.max_actions}: {keys.summary()}')
    print(f'KEY-PRESSES {len(keys.presses)} TYPED {len(keys.typed)} ACTIONS {keys.actions()}',
          flush=True)


def run(args, app, platform, spool, tmp):
    if args.agent_and_scan:
        return run_agent_and_scan(args, app, platform, spool, tmp)
    pyatspi = atspi()
    window = wait_for('the main window', lambda: find(pyatspi, app, role=pyatspi.ROLE_FRAME,
                                                      need_showing=False))
    items = log_in(pyatspi, window)
    log(f'logged in; {len(item_names(pyatspi, items))} items listed')

    check_map(pyatspi, window, items, Keyboard())

    keys = Keyboard()
    n_lines = accept(pyatspi, window, items, keys)
    log(f'the acceptance took {keys.summary()}: {keys.actions()} actions')

    case = wait_case_of(platform, APPLICANT[1])
    if case.get('state') != 'accepted':
        raise Failure(f'the case on the platform is {case.get("state")!r}, not accepted')
    lines = case.get('materials', [])
    if len(lines) != n_lines:
        raise Failure(f'the case has {len(lines)} materials, the checklist showed {n_lines}')
    # Every required line on paper; what the catalog exempts stays exempt.
    if not all(m.get('status') in ('paper', 'shared', 'licence') for m in lines
               if m.get('status') != 'missing'):
        raise Failure(f'the materials on the platform are {[m.get("status") for m in lines]}')
    if not any(m.get('status') == 'paper' for m in lines):
        raise Failure('no material on the platform is on paper')
    notice = wait_for("the 受理通知书 in the printer's spool",
                      lambda: spooled_pdfs(spool, '受理通知书'), timeout=20, interval=0.3)[0]
    log(f'case {case["case_no"]} accepted on the platform; its notice printed')
    check_notice_pages(notice, COPIES)
    if keys.actions() > args.max_actions:
        raise Failure(f'an ordinary acceptance took {keys.actions()} actions, more than '
                      f'{args.max_actions}: {keys.summary()}')

    # Unfinished business from inside a text field: the search has the focus again.
    search = wait_focus(window, 'the focus back in the search for the next applicant',
                        name='Search service items')
    windows_before = app.childCount
    Keyboard().press('ctrl+b')
    wait_for('Ctrl+B in the search field to open the registration of unfinished business',
             lambda: app.childCount > windows_before, timeout=10)
    log(f'Ctrl+B in "{search.name}" opened the registration of unfinished business')
    # The count, for the README and the report.
    print(f'KEY-PRESSES {len(keys.presses)} TYPED {len(keys.typed)} ACTIONS {keys.actions()}',
          flush=True)


def add_arguments(parser):
    parser.add_argument('--max-actions', type=int, default=12,
                        help='the most key presses plus typed fields an acceptance may take')
    parser.add_argument('--agent-and-scan', action='store_true',
                        help='count the acceptance with an agent and a scanned material')


if __name__ == '__main__':
    sys.exit(main(run, 'An ordinary acceptance with the keyboard alone, counted.',
                  add_arguments))
