#!/usr/bin/env python3
# test-accessible.py — what a screen reader hears, everywhere the test can go: the real app
# over AT-SPI, in the language of --language.
#
# It logs in as each role of the demo platform (clerk, pickup, supervisor, department), opens
# every page of the window's view switcher and every item of the main menu whose label ends in
# "…" (the HIG's mark of an item that opens a window), and walks the accessible tree of each
# window it finds. New pages and dialogs are walked without a change here. It fails on
#  - a control without a name, or whose name is a GTK type name ("GtkToggleButton"): what
#    GTK 4.8 falls back to for an unnamed widget;
#  - a name that still holds a mnemonic: an underscore ("_Log In") or the parenthesised letter
#    of a Chinese label ("登录(L)");
#  - a name that says a label twice ("Accept Accept", "Scan 营业执照 Scan");
#  - a check box or toggle without an action, which assistive technology cannot tick.
# Controls are the objects a person operates (buttons, toggles, check boxes, drop-downs,
# entries, list rows, tabs, menu items); containers a person enters (lists, tab lists, dialogs)
# may not carry a type name either. The toolkit's own decoration (images, fillers, scroll bars
# of scrolled windows) is not checked: no one operates it, and the app cannot name it.
#
# The clerk's intake page is walked with an item chosen, so that its checklist is there; and a
# case waiting for supplements is made first (its notice printed), so that the returning-case
# dialog is walked with the check boxes of its lines.
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
import gettext
import re
import sys
import time

from owe2e import (Failure, Keyboard, atspi, find, find_all, log, main,
                   press, set_text, text_of, wait_case_of, wait_focus, wait_for, walk)

ROLES = ('clerk', 'pickup', 'supervisor', 'department')

# Roles of what a person operates: a name is required, and must be plain.
CONTROL_ROLES = ('push button', 'toggle button', 'check box', 'radio button', 'combo box',
                 'text', 'entry', 'password text', 'spin button', 'slider', 'page tab',
                 'menu item', 'check menu item', 'radio menu item', 'link', 'list item',
                 'switch')
# Containers a person moves into: their names, when they have one, must be plain too.
CONTAINER_ROLES = ('list', 'page tab list', 'tree', 'table', 'dialog', 'frame', 'alert',
                   'status bar', 'menu', 'tool bar', 'list box', 'tree table', 'window')
# GTK 4.8 presents some windows (AdwWindow) with this role; a window's name is what a screen
# reader says on entering it.
WINDOW_ROLES = ('frame', 'dialog', 'alert', 'window', 'filler')
TOGGLE_ROLES = ('check box', 'toggle button', 'switch', 'radio button', 'check menu item',
                'radio menu item')

TYPE_NAME = re.compile(r'^(Gtk|Adw|Ow|Gdk)[A-Z][A-Za-z]*$')
MNEMONIC = re.compile(r'_[^\s_]|[(（][A-Z0-9][)）]')
# Words a name may well say twice.
SMALL_WORDS = {'of', 'the', 'a', 'an', 'to', 'and', 'or', 'in', 'on', 'for', '·', '—', '-',
               '–', '/', '|', '的', '和', '或'}


def doubled(name):
    """Whether NAME repeats itself: a trailing run of words found earlier, as GTK 4.8 makes of
    a label property plus the label widget ("Scan X Scan", "登录 登录")."""
    words = name.split()
    for k in range(1, len(words) // 2 + 1):
        tail = words[-k:]
        segment = ' '.join(tail)
        if len([c for c in segment if c.isalpha()]) < 2 or segment.lower() in SMALL_WORDS:
            continue
        for i in range(0, len(words) - k):
            if words[i:i + k] == tail:
                return True
    return False


def path_of(node):
    """Where NODE is, for the message: its named ancestors."""
    names = []
    n = node
    for _ in range(12):
        try:
            n = n.parent
        except Exception:
            break
        if n is None:
            break
        try:
            if n.name and n.getRoleName() not in ('panel', 'filler'):
                names.append(f'{n.getRoleName()} {n.name!r}')
        except Exception:
            break
    return ' < '.join(names[:4])


def check_tree(root, where, problems, seen):
    """Adds to PROBLEMS what a screen reader would say wrongly under ROOT, on screen."""
    for node in walk(root, only_showing=True):
        try:
            role = node.getRoleName()
            name = node.name or ''
        except Exception:
            continue
        if role not in CONTROL_ROLES and role not in CONTAINER_ROLES \
                and not (node is root and role in WINDOW_ROLES):
            continue
        wrong = []
        if (role in CONTROL_ROLES or node is root) and not name.strip():
            wrong.append('has no name')
        if TYPE_NAME.match(name):
            wrong.append('is named by its GTK type')
        if MNEMONIC.search(name):
            wrong.append('has a mnemonic in its name')
        if doubled(name):
            wrong.append('says its label twice')
        if role in TOGGLE_ROLES:
            try:
                n_actions = node.queryAction().nActions
            except NotImplementedError:
                n_actions = 0
            if n_actions == 0:
                wrong.append('cannot be toggled (no action)')
        if wrong:
            key = (role, name, tuple(wrong), path_of(node))
            if key not in seen:
                seen.add(key)
                problems.append(f'{where}: {role} {name!r} {" and ".join(wrong)} '
                                f'(in {path_of(node)})')
                log('PROBLEM', problems[-1])


def windows(app):
    """The app's windows: every child of the application is one (GTK 4.8 gives an AdwWindow
    the role "filler")."""
    found = []
    for i in range(app.childCount):
        try:
            w = app.getChildAtIndex(i)
            if w is not None:
                found.append(w)
        except Exception:
            pass
    return found


def run_action(node, name):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == name:
            action.doAction(i)
            return True
    return False


def log_in(pyatspi, window, t, username):
    user = wait_for('the user name field', lambda: find(pyatspi, window, role=pyatspi.ROLE_TEXT,
                                                        name=t('_User name'),
                                                        need_showing=False))
    password = find(pyatspi, window, role=pyatspi.ROLE_PASSWORD_TEXT, name=t('_Password'),
                    need_showing=False)
    set_text(user, username)
    set_text(password, 'demo')
    button = wait_for('the log-in button', lambda: find(pyatspi, window,
                                                        role=pyatspi.ROLE_PUSH_BUTTON,
                                                        name=t('_Log In'), need_showing=False))
    press(button)
    pressed = time.monotonic()

    def done():
        if find(pyatspi, window, role=pyatspi.ROLE_PAGE_TAB):
            return 'in'
        # Still on the log-in page, its button sensitive again: refused, with the reason.
        if time.monotonic() - pressed > 3 \
                and find(pyatspi, window, role=pyatspi.ROLE_PASSWORD_TEXT) \
                and button.getState().contains(pyatspi.STATE_SENSITIVE):
            return 'refused'
        return None
    return wait_for(f'{username} to be logged in (a page tab) or refused', done,
                    timeout=30) == 'in'


def menu_items(pyatspi, window, t):
    """Opens the main menu; its items, as (name, object)."""
    button = find(pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON, name=t('Main Menu'),
                  need_showing=False)
    # A GtkMenuButton is a button holding the button one presses.
    inner = next((n for n in walk(button) if n is not button
                  and n.getRoleName() in ('push button', 'toggle button')), button)
    press(inner)
    items = wait_for('the items of the main menu',
                     lambda: find_all(pyatspi, window, role=pyatspi.ROLE_MENU_ITEM,
                                      need_showing=False)
                     or find_all(pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON,
                                 name_re='…$', need_showing=False), timeout=15)
    return items


def close_menu(keyboard):
    keyboard.press('Escape')


def walk_dialogs(pyatspi, app, window, t, where, problems, seen, keyboard):
    """Opens each "…" item of the main menu in turn, walks the window it opens, closes it."""
    done = set()
    while True:
        items = menu_items(pyatspi, window, t)
        todo = [i for i in items
                if (i.name or '').endswith('…') and i.name not in done
                and i.getState().contains(pyatspi.STATE_SENSITIVE)]
        if not todo:
            close_menu(keyboard)
            return
        item = todo[0]
        done.add(item.name)
        count = len(windows(app))
        log(f'{where}: opening "{item.name}"')
        press(item)
        try:
            wait_for(f'a window from "{item.name}"', lambda: len(windows(app)) > count, timeout=8)
        except Failure:
            # Not a matter of names: what the item needs (a chosen item, a printed notice)
            # is not there in this walk.
            log(f'{where}: "{item.name}" opened no window here')
            continue
        time.sleep(1.0)
        new = [w for w in windows(app) if w.name != window.name] or windows(app)[count:]
        for w in new:
            check_tree(w, f'{where}, {item.name}', problems, seen)
        # Escape closes every dialog of the app (the HIG's way out).
        for _ in range(3):
            if len(windows(app)) <= count:
                break
            for w in windows(app)[count:]:
                run_action(w, 'window.close')
            time.sleep(0.5)
        if len(windows(app)) > count:
            keyboard.press('Escape')
            wait_for(f'the window of "{item.name}" to close', lambda: len(windows(app)) <= count,
                     timeout=5)


def prepare_intake(pyatspi, window, t, keyboard):
    """The clerk's intake page with an item chosen, so that its checklist shows."""
    search = find(pyatspi, window, name=t('Search service items'), need_showing=False)
    if search is None:
        return
    set_text(search, 'yyzz')
    time.sleep(1.0)
    keyboard.press('ctrl+f')
    keyboard.press('Return')
    wait_for('the checklist of the item', lambda: find(
        pyatspi, find(pyatspi, window, role=pyatspi.ROLE_LIST, name=t('Materials checklist'),
                      need_showing=False) or window,
        role=pyatspi.ROLE_COMBO_BOX, need_showing=False), timeout=10)


def walk_returning_case(pyatspi, app, window, t, platform, keyboard, problems, seen):
    """Asks for supplements on the chosen item (the clerk's intake page), then brings the case
    back as its applicant would, its notice's QR code scanned into the search: the
    returning-case dialog lists the lines with a check box each, which is walked."""
    applicant = ('王五', '11010519491231002X', '13800138000')
    for msgid, value in zip(('_Name', '_ID number', '_Mobile'), applicant):
        set_text(wait_for(f'the field {msgid}', lambda: find(pyatspi, window,
                                                             role=pyatspi.ROLE_TEXT,
                                                             name=t(msgid))), value)
    # The decision with the keyboard (a combo row's list is a popover, which AT-SPI cannot
    # place): down its choices until it shows Request supplements (容缺 is among them only
    # where a line may be tolerated).
    wanted = t('Request supplements')
    decision = find(pyatspi, window, role=pyatspi.ROLE_COMBO_BOX, name=t('_Decision'))
    for downs in range(1, 4):
        keyboard.press('ctrl+5')
        keyboard.press('Return')
        time.sleep(0.5)
        keyboard.press('Down', times=downs)
        keyboard.press('Return')
        time.sleep(0.5)
        if wanted in [n.name for n in walk(decision) if n.getRoleName() == 'label']:
            break
    else:
        raise Failure(f'the decision never showed {wanted!r}')
    note_name = '^' + '.+'.join(re.escape(part)
                                for part in t('What is missing or wrong in %s').split('%s')) + '$'
    notes = wait_for('a note field per missing material', lambda: find_all(
        pyatspi, window, role=pyatspi.ROLE_TEXT, name_re=note_name), timeout=10)
    for note in notes:
        set_text(note, '请补充')
    accept = wait_for('the decision button', lambda: find(
        pyatspi, window, role=pyatspi.ROLE_PUSH_BUTTON,
        name=t('_Request Supplements and Print Notice')))
    wait_for('the decision button enabled', lambda: accept.getState().contains(
        pyatspi.STATE_SENSITIVE), timeout=10)
    keyboard.press('ctrl+Return')
    case = wait_case_of(platform, applicant[1])
    log(f'case {case["case_no"]} waits for supplements')

    search = find(pyatspi, window, name=t('Search service items'))
    keyboard.press('ctrl+f')
    set_text(search, case['case_no'])
    wait_focus(window, 'the focus in the search', name=t('Search service items'))
    keyboard.press('Return')
    title = t('Returning Case with Supplements')
    try:
        dialog = wait_for('the returning-case dialog', lambda: next(
            (w for w in windows(app) if w.name == title), None), timeout=15)
    except Failure:
        raise Failure(f'the case number in the search opened no dialog; the windows are '
                      f'{[w.name for w in windows(app)]}, the search holds {text_of(search)!r}')
    wait_for('the check boxes of its lines', lambda: find(pyatspi, dialog,
                                                          role=pyatspi.ROLE_CHECK_BOX),
             timeout=15)
    check_tree(dialog, 'clerk, returning case', problems, seen)
    for box in find_all(pyatspi, dialog, role=pyatspi.ROLE_CHECK_BOX):
        before = box.getState().contains(pyatspi.STATE_CHECKED)
        run_action(box, 'check.toggle')
        wait_for(f'the check box {box.name!r} to change through its action',
                 lambda: box.getState().contains(pyatspi.STATE_CHECKED) != before, timeout=5)
        break
    log('the check boxes of the returning case tick through AT-SPI')
    run_action(dialog, 'window.close')
    wait_for('the returning-case dialog to close',
             lambda: all(w.name != title for w in windows(app)), timeout=10)


def run(args, app, platform, spool, tmp):
    pyatspi = atspi()
    catalogue = gettext.translation('onewindow', localedir=args.localedir,
                                    languages=[args.language] if args.language else ['en'],
                                    fallback=True)

    def t(msgid):
        """MSGID as the app shows it in this language, read as a screen reader says it."""
        text = catalogue.gettext(msgid)
        text = re.sub(r'\s*[(（]_[A-Za-z0-9][)）]', '', text)
        return re.sub(r'_(.)', r'\1', text)

    keyboard = Keyboard()
    problems, seen = [], set()
    window = wait_for('the main window', lambda: find(pyatspi, app, role=pyatspi.ROLE_FRAME,
                                                      need_showing=False))
    wait_for('the log-in page', lambda: find(pyatspi, window, role=pyatspi.ROLE_PASSWORD_TEXT,
                                             need_showing=False))
    check_tree(window, 'log-in page', problems, seen)

    for role in ROLES:
        if not log_in(pyatspi, window, t, role):
            # An account this window has no workspace for: what it says is checked, too.
            log(f'{role}: not let in; the log-in page says '
                f'{[n.name for n in find_all(pyatspi, window, role=pyatspi.ROLE_LABEL)]}')
            check_tree(window, f'{role}, refused', problems, seen)
            continue
        tabs = find_all(pyatspi, window, role=pyatspi.ROLE_PAGE_TAB, need_showing=False)
        names = [tab.name for tab in tabs]
        log(f'{role}: pages {names}')
        for name in names:
            tab = find(pyatspi, window, role=pyatspi.ROLE_PAGE_TAB, name=name, need_showing=False)
            if tab is None or not tab.getState().contains(pyatspi.STATE_SHOWING) \
                    and not tab.getState().contains(pyatspi.STATE_VISIBLE):
                continue
            press(tab)
            time.sleep(1.0)
            if role == 'clerk' and name == t('Intake'):
                prepare_intake(pyatspi, window, t, keyboard)
                check_tree(window, f'{role}, page {name!r}', problems, seen)
                walk_returning_case(pyatspi, app, window, t, platform, keyboard, problems, seen)
                # Walked again after the decision: the last case's number shows now.
                check_tree(window, f'{role}, page {name!r} after deciding', problems, seen)
                continue
            check_tree(window, f'{role}, page {name!r}', problems, seen)
        # The dialogs from the role's first page, where its menu items apply.
        if names:
            press(find(pyatspi, window, role=pyatspi.ROLE_PAGE_TAB, name=names[0]))
            time.sleep(1.0)
        walk_dialogs(pyatspi, app, window, t, role, problems, seen, keyboard)
        if not run_action(window, 'win.logout'):
            raise Failure(f'{role} cannot log out (no win.logout action on the window)')
        wait_for('the log-in page again', lambda: find(pyatspi, window,
                                                       role=pyatspi.ROLE_PASSWORD_TEXT,
                                                       need_showing=True), timeout=10)

    if problems:
        raise Failure(f'{len(problems)} accessible names or toggles are wrong (see above)')
    log('every name plain, every toggle operable')


def add_arguments(parser):
    parser.add_argument('--localedir', required=True,
                        help='where the compiled catalogues are (BUILD/po)')


if __name__ == '__main__':
    sys.exit(main(run, 'What a screen reader hears, on every page and dialog.', add_arguments))
